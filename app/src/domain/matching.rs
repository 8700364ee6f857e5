//! Volunteer matching: which opportunities fit a resident, best first, and why.
//!
//! Hard rules take out what cannot work (a DBS check required and not held, under the minimum
//! age, no time that suits both, closed or full); soft scores rank the rest on shared interests,
//! skills, area and times. Pure and deterministic: the same profile and opportunities always
//! give the same list in the same order (ties broken by id).

use serde::{Deserialize, Serialize};

/// A weekly grid of 21 slots (7 days × morning, afternoon, evening) as bits; bit
/// `day * 3 + part`. An opportunity with no slots set fits any time ("flexible").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Week(pub u32);

impl Week {
    pub const ALL: Week = Week((1 << 21) - 1);

    pub fn slot(day: usize, part: usize) -> Week {
        debug_assert!(day < 7 && part < 3);
        Week(1 << (day * 3 + part))
    }

    pub fn with(self, day: usize, part: usize) -> Week {
        Week(self.0 | Week::slot(day, part).0)
    }

    pub fn is_empty(self) -> bool {
        self.0 & Week::ALL.0 == 0
    }

    pub fn overlap(self, other: Week) -> Week {
        Week(self.0 & other.0 & Week::ALL.0)
    }

    pub fn count(self) -> u32 {
        (self.0 & Week::ALL.0).count_ones()
    }

    /// The slots as (day, part) pairs, Monday morning first.
    pub fn slots(self) -> impl Iterator<Item = (usize, usize)> {
        (0..21).filter(move |bit| self.0 & (1 << bit) != 0).map(|bit| (bit / 3, bit % 3))
    }
}

/// Age bands a profile records (never a date of birth).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    Under16,
    From16To17,
    From18To24,
    From25To64,
    From65,
}

impl AgeBand {
    pub const ALL: [AgeBand; 5] = [AgeBand::Under16, AgeBand::From16To17, AgeBand::From18To24, AgeBand::From25To64, AgeBand::From65];

    /// The youngest age in the band.
    pub fn youngest(self) -> u8 {
        match self {
            AgeBand::Under16 => 0,
            AgeBand::From16To17 => 16,
            AgeBand::From18To24 => 18,
            AgeBand::From25To64 => 25,
            AgeBand::From65 => 65,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::Under16 => "under_16",
            AgeBand::From16To17 => "16_17",
            AgeBand::From18To24 => "18_24",
            AgeBand::From25To64 => "25_64",
            AgeBand::From65 => "65_plus",
        }
    }

    pub fn parse(s: &str) -> Option<AgeBand> {
        AgeBand::ALL.into_iter().find(|b| b.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            AgeBand::Under16 => "Under 16",
            AgeBand::From16To17 => "16 or 17",
            AgeBand::From18To24 => "18 to 24",
            AgeBand::From25To64 => "25 to 64",
            AgeBand::From65 => "65 or over",
        }
    }
}

/// What matching needs to know about a resident. Ids are the organisation's list ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub interests: Vec<String>,
    pub skills: Vec<String>,
    pub areas: Vec<String>,
    pub availability: Week,
    pub age: AgeBand,
    pub has_dbs: bool,
}

/// What matching needs to know about an opportunity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: String,
    pub interests: Vec<String>,
    pub skills: Vec<String>,
    /// Where it happens; empty means anywhere (from home, online).
    pub areas: Vec<String>,
    /// When it needs people; empty means any time that suits.
    pub times: Week,
    pub minimum_age: u8,
    pub dbs_required: bool,
    /// Open for interest and not yet full.
    pub open: bool,
}

/// Why an opportunity cannot fit at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    NotOpen,
    DbsRequired,
    UnderMinimumAge,
    NoTimeInCommon,
}

/// One opportunity that fits, with its score and what matched (said in words by
/// `language::matching::reason`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    pub id: String,
    pub score: u32,
    pub shared_interests: u32,
    pub shared_skills: u32,
    /// In one of the profile's areas (false: it happens anywhere).
    pub in_area: bool,
    /// It can be done from anywhere (no areas given).
    pub anywhere: bool,
    pub times: Week,
}

// Soft-score weights. Each part is capped, so one long list cannot drown the rest, and each
// is non-decreasing in what is shared.
const PER_INTEREST: u32 = 30;
const MAX_INTERESTS: u32 = 3;
const PER_SKILL: u32 = 15;
const MAX_SKILLS: u32 = 3;
const IN_AREA: u32 = 25;
const ANYWHERE: u32 = 15;
const PER_SLOT: u32 = 5;
const MAX_SLOTS: u32 = 4;
const FLEXIBLE: u32 = 10;

fn shared(a: &[String], b: &[String]) -> u32 {
    // Lists are short (a handful of ids): a nested scan beats building a set.
    a.iter().filter(|x| b.contains(x)).count() as u32
}

/// Whether `opportunity` can fit `profile`, and if so how well.
pub fn assess(profile: &Profile, opportunity: &Opportunity) -> Result<Match, Exclusion> {
    if !opportunity.open {
        return Err(Exclusion::NotOpen);
    }
    if opportunity.dbs_required && !profile.has_dbs {
        return Err(Exclusion::DbsRequired);
    }
    if profile.age.youngest() < opportunity.minimum_age {
        return Err(Exclusion::UnderMinimumAge);
    }
    let times = if opportunity.times.is_empty() { Week::default() } else { opportunity.times.overlap(profile.availability) };
    if !opportunity.times.is_empty() && times.is_empty() {
        return Err(Exclusion::NoTimeInCommon);
    }
    let shared_interests = shared(&opportunity.interests, &profile.interests);
    let shared_skills = shared(&opportunity.skills, &profile.skills);
    let in_area = opportunity.areas.iter().any(|a| profile.areas.contains(a));
    let area_score = if in_area {
        IN_AREA
    } else if opportunity.areas.is_empty() {
        ANYWHERE
    } else {
        0
    };
    let time_score = if opportunity.times.is_empty() { FLEXIBLE } else { PER_SLOT * times.count().min(MAX_SLOTS) };
    let score = PER_INTEREST * shared_interests.min(MAX_INTERESTS) + PER_SKILL * shared_skills.min(MAX_SKILLS) + area_score + time_score;
    Ok(Match { id: opportunity.id.clone(), score, shared_interests, shared_skills, in_area, anywhere: opportunity.areas.is_empty(), times })
}

/// The `limit` best-fitting opportunities, best first; ties go to the lower id so the order
/// never depends on the input's.
pub fn rank(profile: &Profile, opportunities: &[Opportunity], limit: usize) -> Vec<Match> {
    let mut matches: Vec<Match> = opportunities.iter().filter_map(|o| assess(profile, o).ok()).collect();
    let by_rank = |a: &Match, b: &Match| b.score.cmp(&a.score).then_with(|| a.id.cmp(&b.id));
    if limit < matches.len() {
        // Only the best `limit` need sorting.
        matches.select_nth_unstable_by(limit, by_rank);
        matches.truncate(limit);
    }
    matches.sort_unstable_by(by_rank);
    matches
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAT: usize = 5;
    const SUN: usize = 6;
    const MORNING: usize = 0;
    const AFTERNOON: usize = 1;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn alex() -> Profile {
        Profile {
            interests: ids(&["gardening", "food"]),
            skills: ids(&["driving"]),
            areas: ids(&["mill"]),
            availability: Week::slot(SAT, MORNING).with(SUN, AFTERNOON),
            age: AgeBand::From25To64,
            has_dbs: false,
        }
    }

    fn opportunity(id: &str) -> Opportunity {
        Opportunity {
            id: id.into(),
            interests: ids(&["gardening"]),
            skills: vec![],
            areas: ids(&["mill"]),
            times: Week::slot(SAT, MORNING),
            minimum_age: 0,
            dbs_required: false,
            open: true,
        }
    }

    /// A named change to the standard case, and whether the result still fits.
    type Case = (&'static str, fn(&mut Opportunity, &mut Profile), Result<(), Exclusion>);

    #[test]
    fn hard_rules_take_out_what_cannot_fit() {
        let cases: [Case; 8] = [
            ("fits", |_, _| {}, Ok(())),
            ("closed", |o, _| o.open = false, Err(Exclusion::NotOpen)),
            ("DBS needed, none held", |o, _| o.dbs_required = true, Err(Exclusion::DbsRequired)),
            (
                "DBS needed and held",
                |o, p| {
                    o.dbs_required = true;
                    p.has_dbs = true
                },
                Ok(()),
            ),
            (
                "18+, profile 16–17",
                |o, p| {
                    o.minimum_age = 18;
                    p.age = AgeBand::From16To17
                },
                Err(Exclusion::UnderMinimumAge),
            ),
            (
                "16+, profile 16–17",
                |o, p| {
                    o.minimum_age = 16;
                    p.age = AgeBand::From16To17
                },
                Ok(()),
            ),
            ("weekday evenings only", |o, _| o.times = Week::slot(1, 2), Err(Exclusion::NoTimeInCommon)),
            (
                "flexible times",
                |o, p| {
                    o.times = Week::default();
                    p.availability = Week::default()
                },
                Ok(()),
            ),
        ];
        for (name, change, expected) in cases {
            let (mut o, mut p) = (opportunity("o"), alex());
            change(&mut o, &mut p);
            assert_eq!(assess(&p, &o).map(|_| ()), expected, "{name}");
        }
    }

    #[test]
    fn a_match_says_what_matched() {
        let mut o = opportunity("o");
        o.interests = ids(&["gardening", "food", "art"]);
        let said = |m: Match| (m.shared_interests, m.shared_skills, m.in_area, m.anywhere, m.times);
        let sat = Week::slot(SAT, MORNING);
        assert_eq!(said(assess(&alex(), &o).unwrap()), (2, 0, true, false, sat));
        o.skills = ids(&["driving"]);
        o.areas = vec![];
        o.times = Week::slot(SAT, MORNING).with(SUN, AFTERNOON);
        assert_eq!(said(assess(&alex(), &o).unwrap()), (2, 1, false, true, o.times));
        o.times = Week::default();
        o.interests = vec![];
        assert_eq!(said(assess(&alex(), &o).unwrap()), (0, 1, false, true, Week::default()), "any time: no times named");
        o.areas = ids(&["elsewhere"]);
        assert_eq!(said(assess(&alex(), &o).unwrap()), (0, 1, false, false, Week::default()), "another area is not \"from anywhere\"");
    }

    #[test]
    fn shared_interests_outrank_distance_and_ties_go_by_id() {
        let mut near = opportunity("b-near");
        near.interests = vec![];
        let mut keen = opportunity("c-keen");
        keen.areas = ids(&["river"]);
        keen.interests = ids(&["gardening", "food"]);
        let twin = opportunity("a-twin");
        let same = opportunity("d-same");
        let ranked: Vec<String> = rank(&alex(), &[same, near, keen, twin], 10).into_iter().map(|m| m.id).collect();
        assert_eq!(ranked, ["c-keen", "a-twin", "d-same", "b-near"]);
    }

    #[test]
    fn a_limit_keeps_the_best_in_order() {
        let all: Vec<Opportunity> = (0..50)
            .map(|i| {
                let mut o = opportunity(&format!("o{i:02}"));
                o.interests = if i % 3 == 0 { ids(&["gardening", "food"]) } else { ids(&["art"]) };
                o
            })
            .collect();
        let full = rank(&alex(), &all, usize::MAX);
        assert_eq!(full.len(), 50);
        for limit in [0, 1, 5, 17, 49, 50, 80] {
            assert_eq!(rank(&alex(), &all, limit), full[..limit.min(50)].to_vec(), "limit {limit}");
        }
    }

    #[test]
    fn weeks_and_age_bands() {
        assert_eq!(Week::ALL.count(), 21);
        for band in AgeBand::ALL {
            assert_eq!(AgeBand::parse(band.as_str()), Some(band));
        }
    }

    fn list() -> impl Strategy<Value = Vec<String>> {
        prop::collection::vec(prop::sample::select(vec!["a", "b", "c", "d", "e", "f"]), 0..5).prop_map(|v| {
            let mut v: Vec<String> = v.into_iter().map(String::from).collect();
            v.sort();
            v.dedup();
            v
        })
    }

    fn age() -> impl Strategy<Value = AgeBand> {
        prop::sample::select(AgeBand::ALL.to_vec())
    }

    prop_compose! {
        fn profile()(interests in list(), skills in list(), areas in list(), availability in 0u32..(1 << 21), age in age(), has_dbs: bool) -> Profile {
            Profile { interests, skills, areas, availability: Week(availability), age, has_dbs }
        }
    }

    prop_compose! {
        fn opp()(id in "[a-z]{1,6}", interests in list(), skills in list(), areas in list(), times in prop_oneof![Just(0u32), 0u32..(1 << 21)],
                 minimum_age in prop::sample::select(vec![0u8, 14, 16, 18, 21]), dbs_required: bool, open: bool) -> Opportunity {
            Opportunity { id, interests, skills, areas, times: Week(times), minimum_age, dbs_required, open }
        }
    }

    /// Opportunities with distinct ids, as the database guarantees.
    fn opps(max: usize) -> impl Strategy<Value = Vec<Opportunity>> {
        prop::collection::vec(opp(), 0..max).prop_map(|mut v| {
            for (i, o) in v.iter_mut().enumerate() {
                o.id = format!("{}-{i}", o.id);
            }
            v
        })
    }

    proptest! {
        #[test]
        fn no_ranked_match_breaks_a_hard_rule(p in profile(), opps in opps(40)) {
            for m in rank(&p, &opps, usize::MAX) {
                let o = opps.iter().find(|o| o.id == m.id).unwrap();
                prop_assert!(o.open);
                prop_assert!(!o.dbs_required || p.has_dbs);
                prop_assert!(p.age.youngest() >= o.minimum_age);
                prop_assert!(o.times.is_empty() || !o.times.overlap(p.availability).is_empty());
            }
        }

        #[test]
        fn sharing_one_more_interest_or_skill_never_lowers_a_score(p in profile(), o in opp(), extra in "[g-k]") {
            if let Ok(before) = assess(&p, &o) {
                let (mut p2, mut o2) = (p.clone(), o.clone());
                p2.interests.push(extra.clone());
                o2.interests.push(extra.clone());
                prop_assert!(assess(&p2, &o2).unwrap().score >= before.score);
                let (mut p3, mut o3) = (p.clone(), o.clone());
                p3.skills.push(extra.clone());
                o3.skills.push(extra);
                prop_assert!(assess(&p3, &o3).unwrap().score >= before.score);
                // More availability never excludes or lowers either.
                let mut p4 = p.clone();
                p4.availability = Week::ALL;
                prop_assert!(assess(&p4, &o).unwrap().score >= before.score);
            }
        }

        #[test]
        fn the_order_does_not_depend_on_the_input_order(p in profile(), mut opps in opps(30), limit in 0usize..35) {
            let first = rank(&p, &opps, limit);
            opps.reverse();
            prop_assert_eq!(rank(&p, &opps, limit), first.clone());
            for pair in first.windows(2) {
                prop_assert!(pair[0].score > pair[1].score || (pair[0].score == pair[1].score && pair[0].id <= pair[1].id));
            }
        }
    }
}
