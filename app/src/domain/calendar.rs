//! Dates as people in the UK read them: the calendar day in Europe/London. A consultation that
//! "closes on 31 March" takes responses until midnight there, not until 1 a.m. in summer.
//!
//! British Summer Time runs from 01:00 UTC on the last Sunday in March to 01:00 UTC on the last
//! Sunday in October (the Summer Time Order 2002); outside it the UK is on UTC.

const DAY: i64 = 86_400;

/// Days since 1970-01-01 for a proleptic Gregorian date (month 1–12).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01, as (year, month, day).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The last Sunday of `month`, in days since 1970-01-01.
fn last_sunday(year: i64, month: u32) -> i64 {
    let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    let last = days_from_civil(next_year, next_month, 1) - 1;
    // 1970-01-01 was a Thursday: (days + 4) mod 7 counts from Sunday.
    last - (last + 4).rem_euclid(7)
}

/// Whether the UK is on British Summer Time at `unix` seconds.
pub fn is_british_summer_time(unix: i64) -> bool {
    let (year, _, _) = civil_from_days(unix.div_euclid(DAY));
    let starts = last_sunday(year, 3) * DAY + 3600;
    let ends = last_sunday(year, 10) * DAY + 3600;
    (starts..ends).contains(&unix)
}

/// The date in the UK at `unix` seconds, as `YYYY-MM-DD`.
pub fn uk_date(unix: i64) -> String {
    let local = unix + if is_british_summer_time(unix) { 3600 } else { 0 };
    let (y, m, d) = civil_from_days(local.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The date and time in the UK at `unix` seconds, as `YYYY-MM-DD HH:MM`.
pub fn uk_date_time(unix: i64) -> String {
    let local = unix + if is_british_summer_time(unix) { 3600 } else { 0 };
    let secs = local.rem_euclid(DAY);
    format!("{} {:02}:{:02}", uk_date(unix), secs / 3600, secs % 3600 / 60)
}

/// The UK calendar day at `unix` seconds, as days since 1970-01-01.
pub fn uk_day(unix: i64) -> i64 {
    let local = unix + if is_british_summer_time(unix) { 3600 } else { 0 };
    local.div_euclid(DAY)
}

/// The moment (seconds since the epoch) a UK calendar day begins: midnight in London, which is
/// 23:00 UTC the day before during British Summer Time.
pub fn uk_day_start(day: i64) -> i64 {
    let midnight_utc = day * DAY;
    if is_british_summer_time(midnight_utc) {
        midnight_utc - 3_600
    } else {
        midnight_utc
    }
}

/// The first day of the month that `day` falls in (both as days since 1970-01-01).
pub fn month_start(day: i64) -> i64 {
    let (y, m, _) = civil_from_days(day);
    days_from_civil(y, m, 1)
}

/// A `YYYY-MM-DD` date as days since 1970-01-01, if it is a real date.
pub fn parse_date(date: &str) -> Option<i64> {
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let (y, m, d): (i64, u32, u32) = (date[0..4].parse().ok()?, date[5..7].parse().ok()?, date[8..10].parse().ok()?);
    let days = days_from_civil(y, m, d);
    (civil_from_days(days) == (y, m, d)).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_london() {
        // 2026-07-01 12:30 UTC is 13:30 in summer; 2026-12-01 12:30 UTC is 12:30 in winter.
        assert_eq!(uk_date_time(days_from_civil(2026, 7, 1) * DAY + 45_000), "2026-07-01 13:30");
        assert_eq!(uk_date_time(days_from_civil(2026, 12, 1) * DAY + 45_000), "2026-12-01 12:30");
        assert_eq!(uk_date_time(days_from_civil(2026, 6, 30) * DAY + 23 * 3600 + 60), "2026-07-01 00:01");
    }

    #[test]
    fn days_and_dates_round_trip_across_centuries_and_leap_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28), 2, "2000 was a leap year");
        assert_eq!(days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28), 1, "2100 will not be");
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn summer_time_starts_and_ends_on_the_last_sundays_at_one_in_the_morning_utc() {
        assert_eq!(civil_from_days(last_sunday(2026, 3)), (2026, 3, 29));
        assert_eq!(civil_from_days(last_sunday(2026, 10)), (2026, 10, 25));
        assert_eq!(civil_from_days(last_sunday(2027, 3)), (2027, 3, 28));
        assert!(!is_british_summer_time(1_774_745_999), "2026-03-29 00:59:59 UTC");
        assert!(is_british_summer_time(1_774_746_000), "2026-03-29 01:00:00 UTC");
        assert!(is_british_summer_time(1_792_889_999), "2026-10-25 00:59:59 UTC");
        assert!(!is_british_summer_time(1_792_890_000), "2026-10-25 01:00:00 UTC");
    }

    /// Each case checked against Python's zoneinfo for Europe/London.
    #[test]
    fn the_uk_date_is_a_day_ahead_late_on_summer_evenings_only() {
        let cases = [
            (1_774_745_999, "2026-03-29"), // 00:59:59 GMT
            (1_774_746_000, "2026-03-29"), // 02:00 BST
            (1_782_862_200, "2026-07-01"), // 2026-06-30 23:30 UTC is 00:30 BST
            (1_792_884_600, "2026-10-25"), // 2026-10-24 23:30 UTC is 00:30 BST
            (1_792_971_000, "2026-10-25"), // 23:30 GMT
            (1_798_759_800, "2026-12-31"), // New Year's Eve, 23:30 GMT
            (1_806_190_200, "2027-03-27"),
            (1_806_276_600, "2027-03-29"), // 2027-03-28 23:30 UTC is 00:30 BST
            (1_709_251_199, "2024-02-29"),
            (946_683_000, "1999-12-31"),
        ];
        for (unix, date) in cases {
            assert_eq!(uk_date(unix), date, "{unix}");
        }
    }

    #[test]
    fn uk_days_begin_at_midnight_in_london() {
        let summer = parse_date("2026-07-01").unwrap();
        assert_eq!(uk_day(uk_day_start(summer)), summer);
        assert_eq!(uk_day(uk_day_start(summer) - 1), summer - 1, "a second before midnight is the day before");
        assert_eq!(uk_day_start(summer), summer * DAY - 3600, "23:00 UTC in summer");
        let winter = parse_date("2026-01-15").unwrap();
        assert_eq!(uk_day_start(winter), winter * DAY);
        assert_eq!(uk_day(winter * DAY + 23 * 3600 + 59 * 60), winter);
        assert_eq!(uk_date(uk_day_start(summer)), "2026-07-01");
    }

    #[test]
    fn months_start_on_the_first_and_dates_must_be_real() {
        assert_eq!(month_start(parse_date("2024-02-29").unwrap()), parse_date("2024-02-01").unwrap());
        assert_eq!(month_start(parse_date("2024-03-01").unwrap()), parse_date("2024-03-01").unwrap());
        for bad in ["2025-02-29", "2025-13-01", "2025-1-01", "", "yesterday", "2025-00-10", "2025-04-31"] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
        assert_eq!(parse_date("1970-01-02"), Some(1));
    }
}
