//! "This is what they could do": at the door, the best open opportunities for what the resident
//! said (from the tablet's cached copy, so it works offline) and the consultations open in their
//! area. The worker can put the resident forward; that goes through the outbox after the
//! conversation is saved.

use super::draft::{door_matches, InteractionDraft};
use crate::api::{CachedOpportunity, ReferenceData};
use crate::domain::outreach::ConsentPurpose;
use crate::i18n::{td_string, Locale};
use crate::language::matching::{reason, Reader};
use leptos::prelude::*;

/// Most matches shown at the door: enough to choose from, few enough to read out.
pub const SHOWN: usize = 5;

fn requirements(locale: Locale, o: &CachedOpportunity) -> String {
    let mut r = Vec::new();
    if o.minimum_age > 0 {
        r.push(td_string!(locale, outreach_matches.age_or_over, age = o.minimum_age));
    }
    if o.dbs_required {
        r.push(td_string!(locale, outreach_matches.needs_dbs).to_string());
    }
    r.join(" · ")
}

#[component]
pub fn DoorMatches(draft: RwSignal<InteractionDraft>, reference: Memo<Option<ReferenceData>>) -> impl IntoView {
    let locale = crate::language::page_locale();
    // Only what matching reads: typing notes does not redraw the list.
    let said = Memo::new(move |_| draft.with(|d| (d.interests.clone(), d.skills.clone(), d.availability.clone(), d.area_id.clone())));
    let matches = Memo::new(move |_| {
        let _ = said.get();
        let Some(r) = reference.get() else { return Vec::new() };
        let found = draft.with_untracked(|d| door_matches(d, &r.opportunities, SHOWN));
        found
            .into_iter()
            .filter_map(|m| r.opportunities.iter().find(|o| o.id == m.id).map(|o| (o.clone(), reason(locale, &m, Reader::Resident))))
            .collect::<Vec<_>>()
    });
    let consultations = Memo::new(move |_| {
        let area = said.get().3;
        reference
            .get()
            .map(|r| {
                r.consultations
                    .iter()
                    .filter(|c| c.areas.is_empty() || c.areas.iter().any(|a| a.id == area))
                    .map(|c| c.title.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let may_register = Memo::new(move |_| {
        draft.with(|d| d.consent(ConsentPurpose::VolunteeringOpportunities) == Some("yes") && !d.resident_name.trim().is_empty())
    });
    view! {
        {move || {
            let (found, open) = (matches.get(), consultations.get());
            (!found.is_empty() || !open.is_empty()).then(|| view! {
                <section class="door-matches" aria-labelledby="door-matches-heading">
                    <h3 class="heading-s" id="door-matches-heading">{td_string!(locale, outreach_matches.heading)}</h3>
                    {(!found.is_empty()).then(|| view! {
                        <p class="hint">{td_string!(locale, outreach_matches.best_first)}</p>
                        <ul class="door-matches__list">
                            {found.into_iter().enumerate().map(|(i, (o, reason))| {
                                let (id, id_change) = (o.id.clone(), o.id.clone());
                                let input = format!("register-{i}");
                                let needs = requirements(locale, &o);
                                let shown = crate::language::content_shown(&o.title_cy).0;
                                let (title, lang, dir) = crate::language::in_shown(shown, &o.title, &o.title_cy);
                                let when = crate::language::matching::when(locale, o.on_date.as_deref(), crate::domain::matching::Week(o.times));
                                view! {
                                    <li class="door-matches__item">
                                        <p class="body"><strong lang=lang dir=dir>{title}</strong><br/>{format!("{} · {when}", o.organisation_name)}</p>
                                        <p class="match-reason">{reason}</p>
                                        {(!needs.is_empty()).then(|| view! { <p class="hint">{td_string!(locale, outreach_matches.needs)}" " {needs}</p> })}
                                        <div class="radios__item">
                                            <input class="radios__input" type="checkbox" id=input.clone()
                                                prop:checked=move || draft.read().register.contains(&id)
                                                disabled=move || !may_register.get()
                                                on:change=move |ev| {
                                                    let on = event_target_checked(&ev);
                                                    draft.update(|d| {
                                                        d.register.retain(|x| x != &id_change);
                                                        if on {
                                                            d.register.push(id_change.clone());
                                                        }
                                                    });
                                                }/>
                                            <label class="radios__label" for=input>
                                                {td_string!(locale, outreach_matches.put_forward, organisation = o.organisation_name.clone())}
                                            </label>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        {move || (!may_register.get()).then(|| view! {
                            <p class="hint">{td_string!(locale, outreach_matches.how_to_put_forward)}</p>
                        })}
                    })}
                    {(!open.is_empty()).then(|| view! {
                        <p class="body">{td_string!(locale, outreach_matches.open_here)}" " {open.join(", ")} ". "
                            <a class="link" href="/outreach/consultations">{td_string!(locale, outreach_matches.take_answers)}</a></p>
                    })}
                </section>
            })
        }}
    }
}
