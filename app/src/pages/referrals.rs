//! `/referrals`: what the host organisation referred to a partner group. The group accepts each
//! one, answers it (what they did or will do) or declines it (and says why); the member of staff
//! who made it sees each step on their tablet. Real forms: they work without JavaScript too.

use crate::api::referrals::{partner_referrals, AnswerReferral, ReferralView};
use crate::components::forms::{field_errors, ErrorSummary, PostedField};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::domain::calendar::uk_date;
use crate::domain::referral::{note_field, ReferralStatus, Step};
use crate::i18n::td_string;
use crate::language::names::{self, HasName};
use leptos::prelude::*;

#[component]
pub fn ReferralsPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let answer = ServerAction::<AnswerReferral>::new();
    let data = Resource::new(move || answer.version().get(), |_| partner_referrals());
    let error = Signal::derive(move || answer.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text=td_string!(locale, referrals.page_title)/>
        <ErrorSummary error first_field="referrals"/>
        {move || answer.value().get().and_then(|r| r.ok()).map(|_| view! {
            <SuccessBanner title=td_string!(locale, referrals.saved)><p>{td_string!(locale, referrals.saved_text)}</p></SuccessBanner>
        })}
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, referrals.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(page) => view! {
                        <span class="caption">{page.organisation_name}</span>
                        <h1 class="heading-l" id="referrals" tabindex="-1">{td_string!(locale, referrals.page_title)}</h1>
                        <p class="body">{td_string!(locale, referrals.lead)}</p>
                        {if page.referrals.is_empty() {
                            view! { <p class="body">{td_string!(locale, referrals.none_yet)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="card-list">
                                    {page.referrals.into_iter().map(|r| view! { <ReferralCard referral=r answer errors/> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One referral: what was asked, who it is for, its history, and the forms for the next step.
#[component]
fn ReferralCard(referral: ReferralView, answer: ServerAction<AnswerReferral>, errors: Memo<crate::domain::FieldErrors>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let heading = format!("referral-{}", referral.id);
    let title = if referral.issues.is_empty() { td_string!(locale, referrals.referral).to_string() } else { referral.issues.join(", ") };
    let open = !referral.status.is_closed();
    let step_form = move |step: Step, id: String, heading: String| {
        let (button, class, label) = match step {
            Step::Accepted => (td_string!(locale, referrals.accept), "button", None),
            Step::Answered => (td_string!(locale, referrals.send_answer), "button", Some(td_string!(locale, referrals.answer_label))),
            _ => (td_string!(locale, referrals.decline), "button button--secondary", Some(td_string!(locale, referrals.decline_label))),
        };
        let field = note_field(step, &id);
        view! {
            <ActionForm action=answer attr:class="form" attr:novalidate=true>
                <input type="hidden" name="referral_id" value=id/>
                <input type="hidden" name="step" value=step.as_str()/>
                {match label {
                    Some(label) => view! { <PostedField name="note" id=field label multiline=true errors/> }.into_any(),
                    None => view! { <input type="hidden" name="note" value=""/> }.into_any(),
                }}
                <button type="submit" class=class aria-describedby=heading disabled=move || answer.pending().get()>{button}</button>
            </ActionForm>
        }
    };
    view! {
        <li class="card" aria-labelledby=heading.clone()>
            <h2 class="heading-s" id=heading.clone()>{title}</h2>
            <p class="body"><strong class=status_tag(referral.status)>{referral.status.name(locale)}</strong></p>
            <dl class="summary-list">
                <div class="summary-list__row">
                    <dt class="summary-list__key">{td_string!(locale, referrals.from_who)}</dt>
                    <dd class="summary-list__value">{format!("{}, {} ({})", referral.owner_name, referral.from_name, names::long_date(locale, &uk_date(referral.sent_at)))}</dd>
                </div>
                <div class="summary-list__row">
                    <dt class="summary-list__key">{td_string!(locale, referrals.area)}</dt>
                    <dd class="summary-list__value">{referral.area_name.clone()}</dd>
                </div>
                <div class="summary-list__row">
                    <dt class="summary-list__key">{td_string!(locale, referrals.resident)}</dt>
                    <dd class="summary-list__value">{match (referral.resident_name.clone(), referral.resident_contact.clone()) {
                        (Some(name), Some(contact)) => view! { {name} <br/> <span class="break-all">{contact}</span> }.into_any(),
                        (Some(name), None) => view! { {name} }.into_any(),
                        _ => view! { {td_string!(locale, referrals.not_shared, name = referral.owner_name.clone())} }.into_any(),
                    }}</dd>
                </div>
                {(!referral.asked.is_empty()).then(|| view! {
                    <div class="summary-list__row">
                        <dt class="summary-list__key">{td_string!(locale, referrals.asked)}</dt>
                        <dd class="summary-list__value prewrap">{referral.asked.clone()}</dd>
                    </div>
                })}
                {(!referral.answer.is_empty()).then(|| view! {
                    <div class="summary-list__row">
                        <dt class="summary-list__key">{if referral.status == ReferralStatus::Declined { td_string!(locale, referrals.why_declined) } else { td_string!(locale, referrals.your_answer) }}</dt>
                        <dd class="summary-list__value prewrap">{referral.answer.clone()}</dd>
                    </div>
                })}
            </dl>
            <StepList steps=referral.steps.clone()/>
            {open.then(|| {
                let id = referral.id.clone();
                view! {
                    {(referral.status == ReferralStatus::Sent).then(|| step_form(Step::Accepted, id.clone(), heading.clone()))}
                    {step_form(Step::Answered, id.clone(), heading.clone())}
                    {step_form(Step::Declined, id, heading.clone())}
                }
            })}
        </li>
    }
}

/// The class of a status's tag: waiting is grey, answered green, declined red.
pub fn status_tag(status: ReferralStatus) -> &'static str {
    match status {
        ReferralStatus::Sent => "tag tag--grey",
        ReferralStatus::Accepted => "tag",
        ReferralStatus::Answered => "tag tag--green",
        ReferralStatus::Declined => "tag tag--red",
    }
}

/// A referral's steps, oldest first: "3 December 2026 · Chased by Sam Patel: left a message".
#[component]
pub fn StepList(steps: Vec<crate::types::referrals::StepView>) -> impl IntoView {
    let locale = crate::language::page_locale();
    (!steps.is_empty()).then(|| {
        view! {
            <ol class="history">
                {steps.into_iter().map(|s| view! {
                    <li>
                        <strong>{names::long_date(locale, &uk_date(s.at))}</strong> " · " {td_string!(locale, referrals.step_by, step = s.step.name(locale), name = s.by)}
                        {(!s.note.is_empty()).then(|| view! { <p class="body prewrap">{s.note}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        }
    })
}
