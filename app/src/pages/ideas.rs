//! Residents' ideas on a consultation: the list with support buttons and the form to share one,
//! and each idea's own page with its comments. Plain forms: all of it works without JavaScript.

use crate::api::participation::{get_proposal, list_proposals, CommentOn, ProposalCard, Propose, ReportContribution, SupportProposal};
use crate::components::address_value;
use crate::components::forms::{field_errors, ErrorSummary, PostedField};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::domain::consultation::Stage;
use crate::i18n::{td_string, Locale};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn supporters(locale: Locale, n: i64) -> String {
    td_string!(locale, ideas.supporters, count = n)
}

/// The ideas on a consultation page: its actions and list, made once by the page itself. A
/// resource made inside another resource's `Suspend` is made again whenever that re-runs, and
/// on the server such a copy can leave the page's stream waiting for ever.
#[derive(Clone, Copy)]
pub struct IdeasState {
    propose: ServerAction<Propose>,
    support: ServerAction<SupportProposal>,
    list: Resource<Result<Vec<ProposalCard>, crate::error::AppError>>,
}

impl IdeasState {
    pub fn new(consultation_id: impl Fn() -> String + Send + Sync + 'static) -> Self {
        let propose = ServerAction::<Propose>::new();
        let support = ServerAction::<SupportProposal>::new();
        let list =
            Resource::new(move || (consultation_id(), propose.version().get(), support.version().get()), |(id, ..)| list_proposals(id));
        IdeasState { propose, support, list }
    }
}

/// The ideas section of a consultation page.
#[component]
pub fn Ideas(consultation_id: String, stage: Stage, open: bool, state: IdeasState) -> impl IntoView {
    let locale = crate::language::page_locale();
    let IdeasState { propose, support, list } = state;
    let error = Signal::derive(move || propose.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let takes_ideas = open && stage == Stage::OpenForIdeas;
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let consultation_id = consultation_id.clone();
                Suspend::new(async move {
                let ideas = list.await.unwrap_or_default();
                (takes_ideas || !ideas.is_empty()).then(|| view! {
                    <section aria-labelledby="ideas-heading">
                        <h2 class="heading-m" id="ideas-heading">{td_string!(locale, ideas.heading)}</h2>
                        {ideas.is_empty().then(|| view! { <p class="body">{td_string!(locale, ideas.none_yet)}</p> })}
                        <ul class="card-list">
                            {ideas.into_iter().map(|idea| view! { <IdeaCard idea open support/> }).collect_view()}
                        </ul>
                        {takes_ideas.then(|| view! {
                            <h3 class="heading-s" id="propose-heading">{td_string!(locale, ideas.share_heading)}</h3>
                            {move || propose.value().get().and_then(|r| r.ok()).map(|_| view! {
                                <SuccessBanner title=td_string!(locale, ideas.shared_title)><p>{td_string!(locale, ideas.shared_text)}</p></SuccessBanner>
                            })}
                            <ErrorSummary error first_field="title"/>
                            <ActionForm action=propose attr:novalidate=true attr:class="form" attr:aria-labelledby="propose-heading">
                                <input type="hidden" name="consultation_id" value=consultation_id.clone()/>
                                <PostedField name="title" label=td_string!(locale, ideas.idea_title) errors/>
                                <PostedField name="body" label=td_string!(locale, ideas.describe) multiline=true hint=td_string!(locale, ideas.describe_hint) errors/>
                                <PostedField name="author_name" label=td_string!(locale, ideas.your_name) autocomplete="given-name"
                                    hint=td_string!(locale, ideas.your_name_hint) errors/>
                                <button type="submit" class="button">{td_string!(locale, ideas.share_button)}</button>
                            </ActionForm>
                        })}
                    </section>
                })
            })}}
        </Suspense>
    }
}

#[component]
fn IdeaCard(idea: ProposalCard, open: bool, support: ServerAction<SupportProposal>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let meta = format!(
        "{} · {} · {}",
        td_string!(locale, ideas.by_author, name = idea.author.clone()),
        supporters(locale, idea.supporters),
        td_string!(locale, ideas.comment_count, count = idea.comments),
    );
    let href = format!("/consultations/{}/ideas/{}", idea.consultation_id, idea.id);
    view! {
        <li class="card">
            <h3 class="heading-s card__title"><a class="link" href=href>{idea.title.clone()}</a></h3>
            <p class="card__meta">{meta}</p>
            {idea.held.then(|| view! { <p class="inset">{td_string!(locale, ideas.held)}</p> })}
            <p class="body">{idea.body.clone()}</p>
            <SupportButton idea open support/>
        </li>
    }
}

#[component]
fn SupportButton(idea: ProposalCard, open: bool, support: ServerAction<SupportProposal>) -> impl IntoView {
    let locale = crate::language::page_locale();
    if idea.supported {
        view! { <p class="body"><strong>{td_string!(locale, ideas.you_support)}</strong></p> }.into_any()
    } else if open && !idea.held {
        view! {
            <ActionForm action=support attr:class="inline-form">
                <input type="hidden" name="proposal_id" value=idea.id.clone()/>
                <button type="submit" class="button button--secondary button--small">
                    {td_string!(locale, ideas.support)} <span class="visually-hidden">{format!(" “{}”", idea.title)}</span>
                </button>
            </ActionForm>
        }
        .into_any()
    } else {
        ().into_any()
    }
}

/// `/consultations/:id/ideas/:pid`: one idea, its comments, and the forms to support,
/// comment and report.
#[component]
pub fn IdeaPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let params = use_params_map();
    let comment = ServerAction::<CommentOn>::new();
    let support = ServerAction::<SupportProposal>::new();
    let report = ServerAction::<ReportContribution>::new();
    let pid = move || address_value(params, "pid").unwrap_or_default();
    let page = Resource::new(
        move || (pid(), comment.version().get(), support.version().get(), report.version().get()),
        |(id, ..)| get_proposal(id),
    );
    let error = Signal::derive(move || comment.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let report_error = Signal::derive(move || report.value().get().and_then(|r| r.err()));
    view! {
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, ideas.loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <Title text=td_string!(locale, ideas.idea)/><PageProblem error/> }.into_any(),
                    Ok(page) => {
                        let idea = page.proposal.clone();
                        let back = format!("/consultations/{}", idea.consultation_id);
                        let pid_comment = idea.id.clone();
                        view! {
                            <Title text=idea.title.clone()/>
                            <p class="body"><a class="link" href=back>{td_string!(locale, ideas.back_to, title = page.consultation_title.clone())}</a></p>
                            <ErrorSummary error first_field="comment"/>
                            <ErrorSummary error=report_error first_field="main-content"/>
                            {move || report.value().get().and_then(|r| r.ok()).map(|_| view! {
                                <SuccessBanner title=td_string!(locale, ideas.reported_title)><p>{td_string!(locale, ideas.reported_text)}</p></SuccessBanner>
                            })}
                            <p class="caption">{td_string!(locale, ideas.idea)}</p>
                            <h1 class="heading-l">{idea.title.clone()}</h1>
                            <p class="card__meta">{format!(
                                "{} · {}",
                                td_string!(locale, ideas.by_author, name = idea.author.clone()),
                                supporters(locale, idea.supporters),
                            )}</p>
                            {idea.held.then(|| view! { <p class="inset">{td_string!(locale, ideas.held)}</p> })}
                            <p class="body">{idea.body.clone()}</p>
                            <SupportButton idea=idea.clone() open=page.open support/>
                            {if idea.reported {
                                view! { <p class="body">{td_string!(locale, ideas.you_reported_idea)}</p> }.into_any()
                            } else {
                                view! { <ReportForm kind="proposal" target_id=idea.id.clone() label=td_string!(locale, ideas.report_idea) report/> }.into_any()
                            }}

                            <section aria-labelledby="comments-heading">
                                <h2 class="heading-m" id="comments-heading">{td_string!(locale, ideas.comments_heading, n = page.comments.iter().filter(|c| !c.held).count())}</h2>
                                <ul class="comment-list">
                                    {page.comments.into_iter().map(|c| view! {
                                        <li class="comment">
                                            <p class="card__meta">{c.author.clone()}</p>
                                            {c.held.then(|| view! { <p class="inset">{td_string!(locale, ideas.held)}</p> })}
                                            <p class="body">{c.body.clone()}</p>
                                            {if c.reported {
                                                view! { <p class="hint">{td_string!(locale, ideas.you_reported_comment)}</p> }.into_any()
                                            } else {
                                                view! { <ReportForm kind="comment" target_id=c.id.clone() label=td_string!(locale, ideas.report_comment) report/> }.into_any()
                                            }}
                                        </li>
                                    }).collect_view()}
                                </ul>
                                {page.open.then(|| view! {
                                    <ActionForm action=comment attr:novalidate=true attr:class="form" attr:aria-labelledby="comments-heading">
                                        <input type="hidden" name="proposal_id" value=pid_comment/>
                                        <PostedField name="comment" label=td_string!(locale, ideas.add_comment) multiline=true errors/>
                                        <PostedField name="author_name" label=td_string!(locale, ideas.your_name) autocomplete="given-name" errors/>
                                        <button type="submit" class="button">{td_string!(locale, ideas.post_comment)}</button>
                                    </ActionForm>
                                })}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// "Report" behind a disclosure, so it takes no room until wanted (works without JavaScript).
#[component]
fn ReportForm(kind: &'static str, target_id: String, label: &'static str, report: ServerAction<ReportContribution>) -> impl IntoView {
    let locale = crate::language::page_locale();
    let id = format!("reason-{target_id}");
    view! {
        <details class="details">
            <summary class="details__summary">{label}</summary>
            <ActionForm action=report attr:class="form details__text">
                <input type="hidden" name="kind" value=kind/>
                <input type="hidden" name="target_id" value=target_id/>
                <div class="form-group">
                    <label class="label" for=id.clone()>{td_string!(locale, ideas.report_reason)}</label>
                    <input class="input" type="text" id=id name="reason"/>
                </div>
                <button type="submit" class="button button--warning button--small">{td_string!(locale, ideas.send_report)}</button>
            </ActionForm>
        </details>
    }
}
