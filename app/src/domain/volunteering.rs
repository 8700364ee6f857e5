//! Volunteering: what a group posts, what a resident's interest goes through, and the checks on
//! both. Matching itself is in [`super::matching`].

use super::matching::{AgeBand, Week};
use super::validation::FieldErrors;
use super::{Label, Msg};
use serde::{Deserialize, Serialize};

pub const MAX_TITLE_LEN: usize = 120;
pub const MAX_DESCRIPTION_LEN: usize = 4000;
pub const MAX_SHORT_TEXT_LEN: usize = 500;
pub const MAX_SKILLS: usize = 20;
pub const MAX_SKILL_LEN: usize = 60;
pub const MAX_MESSAGE_LEN: usize = 1000;
/// An expression of interest still "new" after this many days is flagged to the group.
pub const CHASE_AFTER_DAYS: i64 = 7;

/// Where an opportunity is in its life. Only `Open` ones are shown to residents and matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpportunityStatus {
    Draft,
    Open,
    Filled,
    Closed,
}

impl TryFrom<String> for OpportunityStatus {
    type Error = super::UnknownValue;
    fn try_from(s: String) -> Result<OpportunityStatus, super::UnknownValue> {
        OpportunityStatus::parse(&s).ok_or(super::UnknownValue(s))
    }
}

impl OpportunityStatus {
    pub const ALL: [OpportunityStatus; 4] =
        [OpportunityStatus::Draft, OpportunityStatus::Open, OpportunityStatus::Filled, OpportunityStatus::Closed];

    pub fn as_str(self) -> &'static str {
        match self {
            OpportunityStatus::Draft => "draft",
            OpportunityStatus::Open => "open",
            OpportunityStatus::Filled => "filled",
            OpportunityStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            OpportunityStatus::Draft => "Draft",
            OpportunityStatus::Open => "Open",
            OpportunityStatus::Filled => "Filled",
            OpportunityStatus::Closed => "Closed",
        }
    }

    /// Residents can see it (a filled or closed one stays readable for those who were interested).
    pub fn is_public(self) -> bool {
        self != OpportunityStatus::Draft
    }
}

/// Where one resident's expression of interest has got to with the group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterestStatus {
    New,
    Contacted,
    Placed,
    Declined,
}

impl TryFrom<String> for InterestStatus {
    type Error = super::UnknownValue;
    fn try_from(s: String) -> Result<InterestStatus, super::UnknownValue> {
        InterestStatus::parse(&s).ok_or(super::UnknownValue(s))
    }
}

impl InterestStatus {
    pub const ALL: [InterestStatus; 4] = [InterestStatus::New, InterestStatus::Contacted, InterestStatus::Placed, InterestStatus::Declined];

    pub fn as_str(self) -> &'static str {
        match self {
            InterestStatus::New => "new",
            InterestStatus::Contacted => "contacted",
            InterestStatus::Placed => "placed",
            InterestStatus::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// As the group sees it.
    pub fn label(self) -> &'static str {
        match self {
            InterestStatus::New => "New",
            InterestStatus::Contacted => "Contacted",
            InterestStatus::Placed => "Placed",
            InterestStatus::Declined => "Declined",
        }
    }

    /// As the resident sees it.
    pub fn for_resident(self) -> &'static str {
        match self {
            InterestStatus::New => "Sent: the group has not been in touch yet",
            InterestStatus::Contacted => "The group has been in touch",
            InterestStatus::Placed => "You are volunteering",
            InterestStatus::Declined => "Not this time",
        }
    }
}

/// Days a "new" interest has waited since `created_at`, when that is at least
/// [`CHASE_AFTER_DAYS`]; `None` once the group has acted on it or while it is recent.
pub fn waiting_days(status: InterestStatus, created_at: i64, now: i64) -> Option<i64> {
    let days = (now - created_at).div_euclid(86_400);
    (status == InterestStatus::New && days >= CHASE_AFTER_DAYS).then_some(days)
}

/// Skills as typed ("Cooking, first aid; driving") made comparable: trimmed, lower case, no
/// repeats, in the order given.
pub fn skill_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in text.split([',', ';', '\n']) {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// A weekly grid posted as `day-part` values ("5-0" is Saturday morning). Unknown values are
/// ignored: the grid is made of checkboxes.
pub fn week_from_slots(slots: &[String]) -> Week {
    slots.iter().fold(Week::default(), |w, s| match s.split_once('-').map(|(d, p)| (d.parse::<usize>(), p.parse::<usize>())) {
        Some((Ok(d), Ok(p))) if d < 7 && p < 3 => w.with(d, p),
        _ => w,
    })
}

/// Availability said in words at the door ("weekday evenings, Saturday mornings") as a weekly
/// grid. Each part between commas (or "and") names days, parts of the day or both; days alone
/// mean the whole day, parts alone mean every day. Words it does not know add nothing, so an
/// empty grid means "not said".
pub fn week_from_words(text: &str) -> Week {
    const DAY_WORDS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let lower = text.to_lowercase();
    let mut week = Week::default();
    for piece in lower.split([',', ';', '\n', '&']).flat_map(|p| p.split(" and ")) {
        let mut days: Vec<usize> = Vec::new();
        let mut parts: Vec<usize> = Vec::new();
        for word in piece.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()) {
            if word.starts_with("weekday") {
                days.extend(0..5);
            } else if word.starts_with("weekend") {
                days.extend(5..7);
            } else if word == "any" || word == "anytime" || word.starts_with("daily") || word == "everyday" {
                days.extend(0..7);
            } else if word.starts_with("morning") || word == "am" {
                parts.push(0);
            } else if word.starts_with("afternoon") || word == "pm" || word == "lunchtime" {
                parts.push(1);
            } else if word.starts_with("evening") || word.starts_with("night") {
                parts.push(2);
            } else if let Some(d) = DAY_WORDS.iter().position(|d| word.len() >= 3 && word.starts_with(d)) {
                days.push(d);
            }
        }
        if days.is_empty() && parts.is_empty() {
            continue;
        }
        if days.is_empty() {
            days.extend(0..7);
        }
        if parts.is_empty() {
            parts.extend(0..3);
        }
        for &d in &days {
            for &p in &parts {
                week = week.with(d, p);
            }
        }
    }
    week
}

/// The profile a worker's record of a conversation makes, when the resident agreed to hear
/// about volunteering: interests and skills as they said them, the area of the door, the times
/// they named. Age and DBS are not asked at the door, so they stay unknown.
pub fn door_profile(involvement: &super::outreach::Involvement, area_id: &str) -> CheckedProfile {
    CheckedProfile {
        interests: involvement.interests.clone(),
        skills: skill_list(&involvement.skills),
        areas: vec![area_id.to_string()],
        availability: week_from_words(&involvement.availability),
        age_band: None,
        has_dbs: false,
        open_to_suggestions: true,
    }
}

/// An opportunity as its group's organiser writes it: the form posts it as `form[title]`,
/// `form[interests][]` and so on. A field left out (an unticked box) is empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpportunityForm {
    pub title: String,
    pub description: String,
    /// The same in Welsh, optional ('' if not written: `domain::bilingual`).
    pub title_cy: String,
    pub description_cy: String,
    pub interests: Vec<String>,
    pub skills: String,
    pub areas: Vec<String>,
    pub place: String,
    /// "regular" or "one_off".
    pub frequency: String,
    /// For a one-off: `YYYY-MM-DD`.
    pub on_date: String,
    pub times: Vec<String>,
    pub hours_per_week: String,
    pub minimum_age: String,
    #[serde(deserialize_with = "super::validation::ticked")]
    pub dbs_required: bool,
    pub capacity: String,
    pub accessibility: String,
    pub contact: String,
}

/// An opportunity's details once checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedOpportunity {
    pub title: String,
    pub description: String,
    pub title_cy: String,
    pub description_cy: String,
    pub interests: Vec<String>,
    pub skills: Vec<String>,
    pub areas: Vec<String>,
    pub place: String,
    pub regular: bool,
    pub on_date: Option<String>,
    pub times: Week,
    pub hours_per_week: Option<i64>,
    pub minimum_age: i64,
    pub dbs_required: bool,
    pub capacity: Option<i64>,
    pub accessibility: String,
    pub contact: String,
}

/// Minimum ages a group can choose from.
pub const MINIMUM_AGES: [(i64, &str); 4] = [(0, "No minimum age"), (16, "16 or over"), (18, "18 or over"), (25, "25 or over")];

fn bounded(errors: &mut FieldErrors, field: &str, value: &str, max: usize, missing: Option<Msg>, what: Label) -> String {
    let v = value.trim();
    if v.is_empty() {
        if let Some(m) = missing {
            errors.add(field, m);
        }
    } else if v.chars().count() > max {
        errors.add(field, Msg::TooLong { what, max: max as i64 });
    }
    v.to_string()
}

fn whole_number(errors: &mut FieldErrors, field: &str, value: &str, range: std::ops::RangeInclusive<i64>, what: Label) -> Option<i64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            errors.add(field, Msg::WholeNumberFromTo { what, min: *range.start(), max: *range.end() });
            None
        }
    }
}

/// Whether `s` is a real calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (s[0..4].parse::<i64>(), s[5..7].parse::<u32>(), s[8..10].parse::<u32>()) else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

impl OpportunityForm {
    /// Checks the form against the rules and the organisation's lists (`is_interest`, `is_area`).
    /// `today` (`YYYY-MM-DD`) stops a one-off being dated in the past.
    pub fn check(
        &self,
        is_interest: impl Fn(&str) -> bool,
        is_area: impl Fn(&str) -> bool,
        today: &str,
    ) -> Result<CheckedOpportunity, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = bounded(&mut e, "title", &self.title, MAX_TITLE_LEN, Some(Msg::EnterTitle), Label::Title);
        let description =
            bounded(&mut e, "description", &self.description, MAX_DESCRIPTION_LEN, Some(Msg::DescribeWhatVolunteersDo), Label::Description);
        let title_cy = bounded(&mut e, "title_cy", &self.title_cy, MAX_TITLE_LEN, None, Label::WelshTitle);
        let description_cy = bounded(&mut e, "description_cy", &self.description_cy, MAX_DESCRIPTION_LEN, None, Label::WelshDescription);
        if !description_cy.is_empty() && title_cy.is_empty() {
            // A Welsh reader is shown the Welsh when its title is there: without one, the Welsh
            // description would never be read.
            e.add("title_cy", Msg::EnterWelshTitleToo);
        }
        if self.interests.iter().any(|i| !is_interest(i)) {
            e.add("interests", Msg::InterestsFromList);
        }
        let skills = skill_list(&self.skills);
        if skills.len() > MAX_SKILLS {
            e.add("skills", Msg::TooManySkills { count: MAX_SKILLS as u64 });
        } else if skills.iter().any(|s| s.chars().count() > MAX_SKILL_LEN) {
            e.add("skills", Msg::TooLong { what: Label::EachSkill, max: MAX_SKILL_LEN as i64 });
        }
        if self.areas.iter().any(|a| !is_area(a)) {
            e.add("areas", Msg::ChooseAreasList);
        }
        let place = bounded(&mut e, "place", &self.place, MAX_SHORT_TEXT_LEN, None, Label::ThePlace);
        let regular = match self.frequency.as_str() {
            "regular" => true,
            "one_off" => false,
            _ => {
                e.add("frequency", Msg::ChooseWhetherRegularOneOff);
                true
            }
        };
        let date = self.on_date.trim();
        let on_date = if regular {
            None
        } else if date.is_empty() {
            e.add("on_date", Msg::EnterDateOneOff);
            None
        } else if !is_iso_date(date) {
            e.add("on_date", Msg::EnterDateAsYearMonthDay);
            None
        } else if date < today {
            e.add("on_date", Msg::DateMustTodayFuture);
            None
        } else {
            Some(date.to_string())
        };
        let times = week_from_slots(&self.times);
        let hours_per_week = whole_number(&mut e, "hours_per_week", &self.hours_per_week, 1..=40, Label::HoursAWeek);
        let minimum_age = match self.minimum_age.trim() {
            "" => 0,
            v => match v.parse::<i64>() {
                Ok(n) if MINIMUM_AGES.iter().any(|(a, _)| *a == n) => n,
                _ => {
                    e.add("minimum_age", Msg::ChooseMinimumAgeList);
                    0
                }
            },
        };
        let capacity = whole_number(&mut e, "capacity", &self.capacity, 1..=1000, Label::NumberOfVolunteers);
        let accessibility = bounded(&mut e, "accessibility", &self.accessibility, MAX_SHORT_TEXT_LEN, None, Label::AccessibilityNotes);
        let contact = bounded(&mut e, "contact", &self.contact, MAX_SHORT_TEXT_LEN, None, Label::ContactDetails);
        e.into_result()?;
        let mut interests = self.interests.clone();
        interests.dedup();
        let mut areas = self.areas.clone();
        areas.dedup();
        Ok(CheckedOpportunity {
            title,
            description,
            title_cy,
            description_cy,
            interests,
            skills,
            areas,
            place,
            regular,
            on_date,
            times,
            hours_per_week,
            minimum_age,
            dbs_required: self.dbs_required,
            capacity,
            accessibility,
            contact,
        })
    }
}

/// A resident's volunteer profile as they (or a worker at the door) fill it in; the form posts
/// it as `form[interests][]`, `form[has_dbs]` and so on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub interests: Vec<String>,
    pub skills: String,
    pub areas: Vec<String>,
    pub times: Vec<String>,
    pub age_band: String,
    #[serde(deserialize_with = "super::validation::ticked")]
    pub has_dbs: bool,
    /// Groups may suggest them for opportunities and see their contact details.
    #[serde(deserialize_with = "super::validation::ticked")]
    pub open_to_suggestions: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedProfile {
    pub interests: Vec<String>,
    pub skills: Vec<String>,
    pub areas: Vec<String>,
    pub availability: Week,
    /// `None`: not known (a profile made at the door); age rules then treat it as the youngest.
    pub age_band: Option<AgeBand>,
    pub has_dbs: bool,
    pub open_to_suggestions: bool,
}

impl ProfileForm {
    pub fn check(&self, is_interest: impl Fn(&str) -> bool, is_area: impl Fn(&str) -> bool) -> Result<CheckedProfile, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.interests.iter().any(|i| !is_interest(i)) {
            e.add("interests", Msg::InterestsFromList);
        }
        let skills = skill_list(&self.skills);
        if skills.len() > MAX_SKILLS {
            e.add("skills", Msg::TooManySkills { count: MAX_SKILLS as u64 });
        } else if skills.iter().any(|s| s.chars().count() > MAX_SKILL_LEN) {
            e.add("skills", Msg::TooLong { what: Label::EachSkill, max: MAX_SKILL_LEN as i64 });
        }
        if self.areas.iter().any(|a| !is_area(a)) {
            e.add("areas", Msg::ChooseAreasList);
        }
        let availability = week_from_slots(&self.times);
        if availability.is_empty() {
            e.add("times", Msg::TickAtLeastOneTime);
        }
        let age_band = AgeBand::parse(&self.age_band);
        if age_band.is_none() {
            e.add("age_band", Msg::ChooseAgeGroup);
        }
        e.into_result()?;
        Ok(CheckedProfile {
            interests: self.interests.clone(),
            skills,
            areas: self.areas.clone(),
            availability,
            age_band,
            has_dbs: self.has_dbs,
            open_to_suggestions: self.open_to_suggestions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> OpportunityForm {
        OpportunityForm {
            title: "Saturday garden crew".into(),
            description: "Weeding, planting and tea.".into(),
            interests: vec!["gardening".into()],
            skills: "Digging, first aid".into(),
            areas: vec!["north".into()],
            frequency: "regular".into(),
            times: vec!["5-0".into()],
            ..Default::default()
        }
    }

    fn fields(r: Result<CheckedOpportunity, FieldErrors>) -> Vec<String> {
        r.err().map(|e| e.iter().map(|f| f.field.clone()).collect()).unwrap_or_default()
    }

    const TODAY: &str = "2026-11-27";
    fn known(id: &str) -> bool {
        id == "gardening" || id == "north"
    }

    #[test]
    fn a_complete_opportunity_is_accepted_and_normalised() {
        let o = form().check(known, known, TODAY).unwrap();
        assert_eq!(o.skills, ["digging", "first aid"]);
        assert_eq!(o.times, Week::slot(5, 0));
        assert!(o.regular && o.on_date.is_none());
        assert_eq!((o.minimum_age, o.capacity, o.hours_per_week), (0, None, None));
    }

    #[test]
    fn each_problem_names_its_field_in_form_order() {
        let f = OpportunityForm {
            title: " ".into(),
            interests: vec!["knitting".into()],
            areas: vec!["elsewhere".into()],
            frequency: "one_off".into(),
            on_date: "2026-02-30".into(),
            hours_per_week: "0".into(),
            minimum_age: "12".into(),
            capacity: "lots".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(f.check(known, known, TODAY)),
            ["title", "description", "interests", "areas", "on_date", "hours_per_week", "minimum_age", "capacity"]
        );
    }

    #[test]
    fn the_welsh_is_optional_bounded_and_read_from_its_title() {
        let mut f = form();
        f.title_cy = " Criw gardd dydd Sadwrn ".into();
        f.description_cy = "Chwynnu, plannu a phaned.".into();
        let o = f.check(known, known, TODAY).unwrap();
        assert_eq!((o.title_cy.as_str(), o.description_cy.as_str()), ("Criw gardd dydd Sadwrn", "Chwynnu, plannu a phaned."));
        f.title_cy = String::new();
        assert_eq!(fields(f.check(known, known, TODAY)), ["title_cy"], "a Welsh description with no Welsh title would never be shown");
        f.title_cy = "x".repeat(MAX_TITLE_LEN + 1);
        f.description_cy = "y".repeat(MAX_DESCRIPTION_LEN + 1);
        assert_eq!(fields(f.check(known, known, TODAY)), ["title_cy", "description_cy"]);
        f.description_cy = String::new();
        f.title_cy = "Criw gardd".into();
        assert_eq!(f.check(known, known, TODAY).unwrap().description_cy, "", "a Welsh title alone: the English description is shown");
    }

    #[test]
    fn a_one_off_needs_a_date_that_has_not_passed() {
        let mut f = form();
        f.frequency = "one_off".into();
        assert_eq!(fields(f.check(known, known, TODAY)), ["on_date"]);
        f.on_date = "2026-11-26".into();
        assert_eq!(fields(f.check(known, known, TODAY)), ["on_date"]);
        f.on_date = "2026-11-27".into();
        assert_eq!(f.check(known, known, TODAY).unwrap().on_date.as_deref(), Some("2026-11-27"));
        f.frequency = "sometimes".into();
        assert_eq!(fields(f.check(known, known, TODAY)), ["frequency"]);
    }

    #[test]
    fn skills_are_compared_without_case_spacing_or_repeats() {
        assert_eq!(skill_list(" Cooking ;first  aid,\ncooking,, "), ["cooking", "first aid"]);
        assert!(skill_list(" , ; ").is_empty());
    }

    #[test]
    fn the_weekly_grid_ignores_what_is_not_a_slot() {
        let w = week_from_slots(&["5-0".into(), "6-2".into(), "7-0".into(), "1-3".into(), "x".into(), "0-0".into()]);
        assert_eq!(w, Week::slot(5, 0).with(6, 2).with(0, 0));
    }

    #[test]
    fn availability_in_words_becomes_a_grid() {
        let evenings = (0..5).fold(Week::default(), |w, d| w.with(d, 2));
        let table: &[(&str, Week)] = &[
            ("weekday evenings, Saturday mornings", evenings.with(5, 0)),
            ("Sat morning and Sunday afternoons", Week::slot(5, 0).with(6, 1)),
            ("weekends", Week::slot(5, 0).with(5, 1).with(5, 2).with(6, 0).with(6, 1).with(6, 2)),
            ("mornings", (0..7).fold(Week::default(), |w, d| w.with(d, 0))),
            ("Tues/Thurs pm", Week::slot(1, 1).with(3, 1)),
            ("any time", Week::ALL),
            ("not sure yet", Week::default()),
            ("", Week::default()),
        ];
        for (words, week) in table {
            assert_eq!(week_from_words(words), *week, "{words}");
        }
    }

    #[test]
    fn an_interest_is_flagged_after_seven_days_new_and_never_once_acted_on() {
        let day = 86_400;
        assert_eq!(waiting_days(InterestStatus::New, 0, 7 * day - 1), None);
        assert_eq!(waiting_days(InterestStatus::New, 0, 7 * day), Some(7));
        assert_eq!(waiting_days(InterestStatus::New, 0, 12 * day + 5), Some(12));
        for s in [InterestStatus::Contacted, InterestStatus::Placed, InterestStatus::Declined] {
            assert_eq!(waiting_days(s, 0, 30 * day), None, "{s:?}");
        }
    }

    #[test]
    fn a_profile_needs_a_time_and_an_age_group() {
        let p = ProfileForm { interests: vec!["gardening".into()], ..Default::default() };
        let e = p.check(known, known).unwrap_err();
        assert_eq!(e.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["times", "age_band"]);
        let p = ProfileForm { times: vec!["5-0".into()], age_band: "18_24".into(), skills: "Driving".into(), ..p };
        let c = p.check(known, known).unwrap();
        assert_eq!((c.age_band, c.skills.as_slice()), (Some(AgeBand::From18To24), ["driving".to_string()].as_slice()));
    }

    #[test]
    fn statuses_survive_a_round_trip_through_their_stored_names() {
        for s in OpportunityStatus::ALL {
            assert_eq!(OpportunityStatus::parse(s.as_str()), Some(s));
        }
        for s in InterestStatus::ALL {
            assert_eq!(InterestStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(InterestStatus::parse("ignored"), None);
    }

    #[test]
    fn only_real_dates_are_dates() {
        for ok in ["2028-02-29", "2026-12-31", "2027-01-01"] {
            assert!(is_iso_date(ok), "{ok}");
        }
        for bad in ["2027-02-29", "2026-13-01", "2026-1-01", "20261201", "2026-12-00", ""] {
            assert!(!is_iso_date(bad), "{bad}");
        }
    }
}
