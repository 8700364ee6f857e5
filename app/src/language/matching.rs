//! Volunteer matching in the reader's words: the days and times an opportunity needs people,
//! when it happens, and why it fits a resident. The rules (`domain::matching`) say what matched;
//! this says it, in the page's language, on the server and on an offline tablet alike.

use crate::domain::matching::{Match, Week};
use crate::i18n::{td_string, Locale};

/// A day's name, Monday first (as `domain::matching::Week` numbers them): (full, short).
pub fn day(locale: Locale, day: usize) -> (&'static str, &'static str) {
    match day {
        0 => (td_string!(locale, week_grid.monday), td_string!(locale, week_grid.monday_short)),
        1 => (td_string!(locale, week_grid.tuesday), td_string!(locale, week_grid.tuesday_short)),
        2 => (td_string!(locale, week_grid.wednesday), td_string!(locale, week_grid.wednesday_short)),
        3 => (td_string!(locale, week_grid.thursday), td_string!(locale, week_grid.thursday_short)),
        4 => (td_string!(locale, week_grid.friday), td_string!(locale, week_grid.friday_short)),
        5 => (td_string!(locale, week_grid.saturday), td_string!(locale, week_grid.saturday_short)),
        _ => (td_string!(locale, week_grid.sunday), td_string!(locale, week_grid.sunday_short)),
    }
}

/// One weekly slot: "Monday mornings".
pub fn slot(locale: Locale, d: usize, part: usize) -> String {
    let name = day(locale, d).0;
    match part {
        0 => td_string!(locale, week_grid.slot_morning, day = name),
        1 => td_string!(locale, week_grid.slot_afternoon, day = name),
        _ => td_string!(locale, week_grid.slot_evening, day = name),
    }
}

/// Every slot of a week, in words, Monday morning first.
pub fn every_slot(locale: Locale, week: Week) -> Vec<String> {
    week.slots().map(|(d, p)| slot(locale, d, p)).collect()
}

/// A week in a few words: "Saturday mornings", "Saturday mornings and Sunday afternoons",
/// "Monday mornings and 2 other times"; nothing for an empty week.
pub fn times(locale: Locale, week: Week) -> String {
    let mut slots = week.slots();
    let Some((d, p)) = slots.next() else { return String::new() };
    let first = slot(locale, d, p);
    match (slots.next(), week.count()) {
        (Some((d, p)), 2) => td_string!(locale, matching.two_times, first = first, second = slot(locale, d, p)),
        (Some(_), n) => td_string!(locale, matching.more_times, first = first, count = n as u64 - 1),
        (None, _) => first,
    }
}

/// When an opportunity happens, for a list: "One-off: 20 March 2027", its weekly times, or
/// "Any time that suits you".
pub fn when(locale: Locale, one_off_on: Option<&str>, week: Week) -> String {
    match one_off_on {
        Some(date) => td_string!(locale, matching.one_off_on, date = super::names::long_date(locale, date)),
        None if week.is_empty() => td_string!(locale, matching.any_time).to_string(),
        None => times(locale, week),
    }
}

/// Whom a reason speaks to: the resident ("your interests") or a group about a resident
/// ("their interests").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    Resident,
    Group,
}

/// Why an opportunity fits: "2 of your interests · uses 1 of your skills · in your area ·
/// Saturday mornings".
pub fn reason(locale: Locale, m: &Match, reader: Reader) -> String {
    let you = reader == Reader::Resident;
    let mut parts: Vec<String> = Vec::new();
    if m.shared_interests > 0 {
        let count = u64::from(m.shared_interests);
        parts.push(if you {
            td_string!(locale, matching.your_interests, count = count)
        } else {
            td_string!(locale, matching.their_interests, count = count)
        });
    }
    if m.shared_skills > 0 {
        let count = u64::from(m.shared_skills);
        parts.push(if you {
            td_string!(locale, matching.your_skills, count = count)
        } else {
            td_string!(locale, matching.their_skills, count = count)
        });
    }
    if m.in_area {
        parts.push(if you { td_string!(locale, matching.your_area) } else { td_string!(locale, matching.their_area) }.to_string());
    } else if m.anywhere {
        parts.push(td_string!(locale, matching.from_anywhere).to_string());
    }
    parts.push(if !m.times.is_empty() {
        times(locale, m.times)
    } else if you {
        td_string!(locale, matching.suits_you).to_string()
    } else {
        td_string!(locale, matching.suits_them).to_string()
    });
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matched(interests: u32, skills: u32, in_area: bool, anywhere: bool, times: Week) -> Match {
        Match { id: "o".into(), score: 0, shared_interests: interests, shared_skills: skills, in_area, anywhere, times }
    }

    #[test]
    fn a_reason_says_what_matched_in_the_readers_language() {
        let sat = Week::slot(5, 0);
        let m = matched(2, 0, true, false, sat);
        assert_eq!(reason(Locale::en, &m, Reader::Resident), "2 of your interests · in your area · Saturday mornings");
        let m = matched(0, 1, false, true, Week::default());
        assert_eq!(reason(Locale::en, &m, Reader::Resident), "uses 1 of your skills · from anywhere · any time that suits you");
        assert_eq!(reason(Locale::en, &m, Reader::Group), "uses 1 of their skills · from anywhere · any time that suits them");
        let m = matched(1, 2, true, false, sat);
        assert_eq!(
            reason(Locale::cy, &m, Reader::Resident),
            "1 o'ch diddordebau · yn defnyddio 2 o'ch sgiliau · yn eich ardal · Dydd Sadwrn, yn y bore"
        );
        assert_eq!(
            reason(Locale::cy, &m, Reader::Group),
            "1 o'u diddordebau · yn defnyddio 2 o'u sgiliau · yn eu hardal · Dydd Sadwrn, yn y bore"
        );
    }

    #[test]
    fn a_week_is_said_in_a_few_words() {
        assert_eq!(times(Locale::en, Week::default()), "");
        assert_eq!(times(Locale::en, Week::slot(0, 2)), "Monday evenings");
        assert_eq!(times(Locale::en, Week::slot(5, 0).with(6, 1)), "Saturday mornings and Sunday afternoons");
        assert_eq!(times(Locale::en, Week::slot(5, 0).with(6, 0).with(0, 0)), "Monday mornings and 2 other times");
        assert_eq!(times(Locale::en, Week::slot(5, 0).with(0, 0)), "Monday mornings and Saturday mornings");
        assert_eq!(times(Locale::en, Week::slot(0, 0).with(1, 0).with(2, 0)), "Monday mornings and 2 other times");
        assert_eq!(times(Locale::cy, Week::slot(0, 0).with(1, 0).with(2, 0)), "Dydd Llun, yn y bore (+2 arall)");
        assert_eq!(times(Locale::cy, Week::slot(0, 0).with(1, 0)), "Dydd Llun, yn y bore a Dydd Mawrth, yn y bore");
    }

    #[test]
    fn when_it_happens() {
        assert_eq!(when(Locale::en, Some("2027-03-20"), Week::slot(5, 0)), "One-off: 20 March 2027");
        assert_eq!(when(Locale::en, None, Week::default()), "Any time that suits you");
        assert_eq!(when(Locale::en, None, Week::slot(5, 0)), "Saturday mornings");
        assert_eq!(when(Locale::cy, Some("2027-03-20"), Week::default()), "Unwaith: 20 Mawrth 2027");
        assert_eq!(when(Locale::cy, None, Week::default()), "Unrhyw bryd sy'n gyfleus i chi");
    }
}
