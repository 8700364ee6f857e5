//! Dates and times on the device, in the device's own time zone (Europe/London on UK tablets).
//! Browser only: on the server these return nothing (they are only used in handlers/effects).

#[cfg(feature = "hydrate")]
fn two(n: u32) -> String {
    format!("{n:02}")
}

/// Now, as a `datetime-local` input value (`YYYY-MM-DDTHH:MM`).
pub fn now_local() -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new_0();
        format!("{}-{}-{}T{}:{}", d.get_full_year(), two(d.get_month() + 1), two(d.get_date()), two(d.get_hours()), two(d.get_minutes()))
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

/// A date `days` from today, as a `date` input value (`YYYY-MM-DD`).
pub fn date_in_days(days: i32) -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new_0();
        d.set_date((d.get_date() as i32 + days) as u32);
        format!("{}-{}-{}", d.get_full_year(), two(d.get_month() + 1), two(d.get_date()))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = days;
        String::new()
    }
}

/// A `datetime-local` value as seconds since the epoch (read in the device's time zone).
pub fn local_to_epoch(value: &str) -> Option<i64> {
    #[cfg(feature = "hydrate")]
    {
        if value.len() < 16 {
            return None;
        }
        let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
        (!ms.is_nan()).then(|| (ms / 1000.0) as i64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = value;
        None
    }
}

/// Seconds since the epoch as "27 November 2026, 14:05" on this device, the month in the
/// page's language ("27 Tachwedd 2026, 14:05").
pub fn show(epoch: i64) -> String {
    #[cfg(feature = "hydrate")]
    {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(epoch as f64 * 1000.0));
        let month = crate::language::names::month_name(crate::language::page_locale(), d.get_month() as usize % 12 + 1);
        format!("{} {} {}, {}:{}", d.get_date(), month.unwrap_or_default(), d.get_full_year(), two(d.get_hours()), two(d.get_minutes()))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = epoch;
        String::new()
    }
}
