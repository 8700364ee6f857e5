//! The demo's consultations: one open, written in English and Welsh, with a question of each
//! kind; one decided, with its outcomes; one taking ideas.

use super::*;

/// One open consultation with a question of each kind, and one decided, with its outcomes.
pub(super) async fn seed_consultations(db: &Db, council: &str) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use crate::domain::consultation::{check_question, QuestionForm};
    use repo::consultations::{add_question, insert, insert_outcome, set_stage, NewConsultation, NewOutcome};
    let admin = repo::users::find_by_email(db, "admin@riverside.example").await?.ok_or("demo admin missing")?;
    let lists = repo::outreach::reference_data(db, council, "9999-12-31").await?;
    let id_of = |list: &[crate::types::Named], name: &str| list.iter().find(|n| n.name == name).map(|n| n.id.clone()).unwrap_or_default();
    let t = now();
    let today = time::OffsetDateTime::now_utc().date();
    let park = insert(
        db,
        &NewConsultation {
            organisation_id: council,
            title: "The future of Mill Park",
            summary: "We have money to improve Mill Park next year. Tell us what matters most to you.",
            background: "## Why we are asking\n\nMill Park's play area is **20 years old** and the paths flood each winter.\n\n\
                         We can afford one large project:\n\n- a new play area\n- drained, lit paths\n- a community garden",
            // Written in Welsh too: a Welsh reader reads it in Welsh.
            title_cy: "Dyfodol Parc y Felin",
            summary_cy: "Mae gennym arian i wella Parc y Felin y flwyddyn nesaf. Dywedwch wrthym beth sydd bwysicaf i chi.",
            background_cy: "## Pam rydym yn gofyn\n\nMae ardal chwarae Parc y Felin yn **20 oed** ac mae'r llwybrau'n gorlifo bob gaeaf.\n\n\
                            Gallwn fforddio un prosiect mawr:\n\n- ardal chwarae newydd\n- llwybrau wedi'u draenio a'u goleuo\n- gardd gymunedol",
            opens_on: Some(&(today - time::Duration::days(14)).to_string()),
            closes_on: Some(&(today + time::Duration::days(30)).to_string()),
            areas: &[id_of(&lists.areas, "Mill Ward"), id_of(&lists.areas, "River Ward")],
            themes: &[id_of(&lists.themes, "Parks and green spaces")],
            created_by: &admin.id,
        },
        t,
    )
    .await?;
    for ((prompt, hint, kind, required, options), (prompt_cy, hint_cy, options_cy)) in [
        (
            ("Which project should come first?", "", "single_choice", true, "A new play area\nDrained, lit paths\nA community garden"),
            ("Pa brosiect ddylai ddod yn gyntaf?", "", "Ardal chwarae newydd\nLlwybrau wedi'u draenio a'u goleuo\nGardd gymunedol"),
        ),
        (
            (
                "When do you use the park?",
                "",
                "multiple_choice",
                false,
                "Weekday mornings\nWeekday evenings\nWeekends\nI do not use it now",
            ),
            (
                "Pryd ydych chi'n defnyddio'r parc?",
                "",
                "Boreau yn ystod yr wythnos\nNosweithiau yn ystod yr wythnos\nPenwythnosau\nNid wyf yn ei ddefnyddio nawr",
            ),
        ),
        (("The park feels safe after dark.", "", "scale", false, ""), ("Mae'r parc yn teimlo'n ddiogel ar ôl iddi dywyllu.", "", "")),
        (
            ("Anything else we should know?", "For example, what stops you using the park.", "free_text", false, ""),
            ("Unrhyw beth arall y dylem ei wybod?", "Er enghraifft, beth sy'n eich atal rhag defnyddio'r parc.", ""),
        ),
    ] {
        let form = QuestionForm { prompt, hint, kind: Some(kind), required, options, prompt_cy, hint_cy, options_cy };
        let q = check_question(&form).map_err(|e| format!("{e:?}"))?;
        add_question(db, &park, &q).await?;
    }
    set_stage(db, council, &park, "open_for_feedback", t).await?;

    let bins = insert(
        db,
        &NewConsultation {
            organisation_id: council,
            title: "Bin collections in Castle Ward",
            summary: "We asked how bin collections could work better on streets with no front gardens.",
            background: "",
            title_cy: "",
            summary_cy: "",
            background_cy: "",
            opens_on: Some(&(today - time::Duration::days(120)).to_string()),
            closes_on: Some(&(today - time::Duration::days(60)).to_string()),
            areas: &[id_of(&lists.areas, "Castle Ward")],
            themes: &[id_of(&lists.themes, "Housing repairs")],
            created_by: &admin.id,
        },
        t,
    )
    .await?;
    let shops = insert(
        db,
        &NewConsultation {
            organisation_id: council,
            title: "Empty shops on Castle Street",
            summary: "Four shops on Castle Street have stood empty for a year. What should they become?",
            background: "",
            title_cy: "",
            summary_cy: "",
            background_cy: "",
            opens_on: Some(&(today - time::Duration::days(7)).to_string()),
            closes_on: Some(&(today + time::Duration::days(45)).to_string()),
            areas: &[id_of(&lists.areas, "Castle Ward")],
            themes: &[id_of(&lists.themes, "Cost of living")],
            created_by: &admin.id,
        },
        t,
    )
    .await?;
    set_stage(db, council, &shops, "open_for_ideas", t).await?;
    use repo::participation::{insert_comment, insert_proposal, support, NewComment, NewProposal};
    let cafe = insert_proposal(
        db,
        &NewProposal {
            organisation_id: council,
            consultation_id: &shops,
            participant: "seed:1",
            author_name: "Kim",
            title: "A repair café",
            body: "A place to fix clothes, bikes and toasters together, instead of throwing them away.",
            flag: "",
        },
        t,
    )
    .await?;
    insert_proposal(
        db,
        &NewProposal {
            organisation_id: council,
            consultation_id: &shops,
            participant: "seed:2",
            author_name: "",
            title: "A youth club",
            body: "Somewhere warm for teenagers to go after school.",
            flag: "",
        },
        t,
    )
    .await?;
    support(db, &cafe, "seed:2", t).await?;
    insert_comment(
        db,
        &NewComment {
            organisation_id: council,
            proposal_id: &cafe,
            participant: "seed:3",
            author_name: "Lee",
            body: "I would volunteer on Saturdays.",
            flag: "",
        },
        t,
    )
    .await?;

    let form = QuestionForm { prompt: "What would help most?", kind: Some("free_text"), required: true, ..Default::default() };
    let q = check_question(&form).map_err(|e| format!("{e:?}"))?;
    add_question(db, &bins, &q).await?;
    set_stage(db, council, &bins, "decided", t).await?;
    for (status, progress, body, days_ago) in [
        ("accepted", 0, "You said bins left on pavements block wheelchairs and buggies. We will collect from the back lanes instead.", 40),
        ("in_progress", 60, "Back-lane collections have started on 6 of the 10 streets.", 10),
    ] {
        let published_on = (today - time::Duration::days(days_ago)).to_string();
        let outcome = NewOutcome {
            organisation_id: council,
            consultation_id: &bins,
            status,
            reason: "",
            progress,
            body,
            published_on: &published_on,
            reason_cy: "",
            body_cy: "",
            created_by: &admin.id,
            answers: &[("question", q.id.clone())],
        };
        insert_outcome(db, DEMO_LINK_BASE, &outcome, t).await?;
    }
    Ok(())
}
