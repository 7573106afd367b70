// plugins/retention/calendar.h -- UTC calendar arithmetic on timestamps
// (microseconds since the Unix epoch) for the retention metrics: calendar
// months and ISO weeks as consecutive integers, and their labels.
//
// Everything is proleptic Gregorian in UTC and defined for every int64
// timestamp: division rounds toward negative infinity, so instants before
// 1970 fall in the right day, month and week.
//
// Thread safety: pure functions.
#ifndef KPI_PLUGINS_RETENTION_CALENDAR_H_
#define KPI_PLUGINS_RETENTION_CALENDAR_H_

#include <cstdint>
#include <string>

namespace kpi::retention {

// The day of `micros`, as days since 1970-01-01.
int64_t DayOf(int64_t micros);

// Months since 1970-01: 0 is January 1970, 12 January 1971, -1 December 1969.
int64_t MonthIndex(int64_t micros);

// ISO weeks (Monday to Sunday, UTC) since the week of 1970-01-01: 0 is the
// week from Monday 1969-12-29, which is ISO week 1970-W01.
int64_t WeekIndex(int64_t micros);

// The first instant of a MonthIndex / WeekIndex (midnight UTC of the 1st /
// of the Monday), clamped to the int64 range.
int64_t MonthStart(int64_t month_index);
int64_t WeekStart(int64_t week_index);

// "YYYY-MM" of a MonthIndex, e.g. "2024-01".
std::string MonthLabel(int64_t month_index);

// "YYYY-Www" of a WeekIndex with the ISO week-numbering year, e.g.
// "2024-W05"; the week of Monday 2024-12-30 is "2025-W01".
std::string IsoWeekLabel(int64_t week_index);

}  // namespace kpi::retention

#endif  // KPI_PLUGINS_RETENTION_CALENDAR_H_
