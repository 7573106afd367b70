// Mistakes the C++ plugin layer stops at compile time. Built once per
// KPI_MISTAKE by expect_compile_error.cmake: 0 must compile, every other
// value must fail with its own diagnostic (see CMakeLists.txt).
#include "kpi/plugin.hpp"

namespace sdk = kpi::sdk;

class Health {
 public:
  static constexpr kpi_input_spec kInputs[] = {
      sdk::Column("customer", KPI_TYPE_STRING, ""),
      sdk::Column("logins", KPI_TYPE_INT64, ""),
#if KPI_MISTAKE == 3  // a name declared twice
      sdk::Column("logins", KPI_TYPE_INT64, ""),
#endif
      sdk::Column("tickets", KPI_TYPE_INT64, "")};
#if KPI_MISTAKE == 1  // a misspelt name
  static constexpr auto kLogins = sdk::Input<KPI_TYPE_INT64>(kInputs, "login");
#elif KPI_MISTAKE == 2  // a handle of another type than the declaration's
  static constexpr auto kLogins =
      sdk::Input<KPI_TYPE_DOUBLE>(kInputs, "logins");
#else
  static constexpr auto kLogins = sdk::Input<KPI_TYPE_INT64>(kInputs, "logins");
#endif

#if KPI_MISTAKE == 9  // an order naming an input that is not declared
  static constexpr kpi_input_order kInputOrders[] = {
      sdk::NotBefore("tickets", "login")};
#elif KPI_MISTAKE == 10  // an order between inputs of different types
  static constexpr kpi_input_order kInputOrders[] = {
      sdk::NotBefore("tickets", "customer")};
#else
  static constexpr kpi_input_order kInputOrders[] = {
      sdk::NotBefore("tickets", "logins")};
#endif

  static constexpr kpi_param_spec kParams[] = {
      sdk::DoubleParam("weight", 0.5, "")};
#if KPI_MISTAKE == 4  // Params::Int64 on a DOUBLE parameter, at the source
  static constexpr auto kWeight = sdk::Param<KPI_TYPE_INT64>(kParams, "weight");
#else
  static constexpr auto kWeight =
      sdk::Param<KPI_TYPE_DOUBLE>(kParams, "weight");
#endif

  static constexpr kpi_list_field kLevelFields[] = {
      sdk::TextField("level", ""), sdk::NumberField("weight", "").Min(0)};
#if KPI_MISTAKE == 11  // a list parameter that is not declared
  static constexpr kpi_list_param kListParams[] = {
      sdk::ListParam("levels", kLevelFields)};
#elif KPI_MISTAKE == 12  // a list parameter that is not a string
  static constexpr kpi_list_param kListParams[] = {
      sdk::ListParam("weight", kLevelFields)};
#endif

  static constexpr sdk::MetricInfo kInfo{"health", "", ""};

  static constexpr kpi_example_input kNoRows[] = {
      sdk::ExampleEmptyColumn("logins", KPI_TYPE_INT64)};
  static constexpr kpi_example kExamples[] = {
#if KPI_MISTAKE == 7  // an example that says nothing about its result
      sdk::Example("no rows", kNoRows)};
#else
      sdk::Example("no rows", kNoRows).ExpectUndefined()};
#endif

  explicit Health(const sdk::Params& params)
#if KPI_MISTAKE == 6  // reading a DOUBLE parameter's handle as INT64
      : weight_(static_cast<double>(params.Int64(kWeight))){}
#else
      : weight_(params.Double(kWeight)) {
  }
#endif
        void Update(const sdk::Chunk& chunk) {
#if KPI_MISTAKE == 5  // reading an INT64 column as doubles
    for (double v : chunk.Doubles(kLogins)) sum_ += v;
#elif KPI_MISTAKE == 8  // a bare index, as before handles
    for (int64_t v : chunk.Int64s(1)) sum_ += static_cast<double>(v);
#else
              for (int64_t v
                   : chunk.Int64s(kLogins)) sum_ += static_cast<double>(v);
#endif
  }
  void Merge(const Health& other) { sum_ += other.sum_; }
  void Finalize(sdk::Result& result) const { result.Value(sum_ * weight_); }

 private:
  double weight_;
  double sum_ = 0;
};

KPI_PLUGIN("mistakes", "0.0.1", "", Health)
