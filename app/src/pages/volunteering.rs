//! Resident pages for volunteering: browse and filter opportunities (no account needed), a
//! volunteer profile with a weekly grid, ranked matches with the reason, one-tap interest and
//! where each interest has got to. Plain server-rendered pages with real forms: they work on a
//! cheap phone with JavaScript off.

use crate::api::volunteering::{
    get_opportunity, get_profile, list_opportunities, my_interests, ExpressInterest, OpportunityCard, OpportunityView, SaveProfile,
};
use crate::components::filters::FilterSelect;
use crate::components::forms::{field_errors, Checkboxes, ErrorSummary, PostedField, Radios};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::components::week_grid::WeekGrid;
use crate::domain::calendar::long_date;
use crate::domain::matching::AgeBand;
use crate::domain::Role;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The opportunity's area, interests and times in one line.
fn about(card: &OpportunityCard) -> String {
    let areas = if card.areas.is_empty() { "Anywhere".to_string() } else { card.areas.join(", ") };
    [areas, card.interests.join(", "), card.when.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")
}

#[component]
fn OpportunityCardView(card: OpportunityCard) -> impl IntoView {
    let line = about(&card);
    view! {
        <li class="card">
            <h2 class="heading-m card__title"><a class="link" href=format!("/volunteer/{}", card.id)>{card.title.clone()}</a></h2>
            <p class="card__meta">{card.organisation_name.clone()} {(!card.place.is_empty()).then(|| format!(" · {}", card.place))}</p>
            {card.reason.clone().map(|r| view! { <p class="match-reason"><strong>"Why it fits you: "</strong>{r}</p> })}
            <p class="body">{card.summary.clone()}</p>
            <p class="hint">{line}</p>
        </li>
    }
}

#[component]
pub fn VolunteerPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let filters = move || {
        let q = query.get();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (get("area"), get("interest"), get("all"))
    };
    let list = Resource::new(filters, |(area, interest, all)| list_opportunities(area, interest, all));
    let saved = move || query.read().get("saved").is_some();
    view! {
        <Title text="Volunteer"/>
        {move || saved().then(|| view! {
            <SuccessBanner title="Profile saved"><p>"Your matches are below, best first."</p></SuccessBanner>
        })}
        <h1 class="heading-l">"Volunteer in your area"</h1>
        <p class="body">"Local groups need people for a few hours. Find something that suits you."</p>
        <p class="body">"Run a community group and want to post opportunities here? "
            <a class="link" href="/partners/join">"Ask to join as a community group"</a></p>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (area, interest, all) = filters();
                let resident = matches!(session.user.await, Ok(Some(u)) if u.role == Role::Resident);
                match list.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(list) => {
                        let count = list.items.len();
                        let counted = match (list.ranked, count) {
                            (true, 0) => "Nothing fits your profile just now. Try all opportunities, or change your times or areas.".to_string(),
                            (true, 1) => "1 match, best first".to_string(),
                            (true, n) => format!("{n} matches, best first"),
                            (false, 0) => "No opportunities match.".to_string(),
                            (false, 1) => "1 opportunity".to_string(),
                            (false, n) => format!("{n} opportunities"),
                        };
                        view! {
                            {if resident {
                                view! {
                                    <ul class="task-list">
                                        <li class="task-list__item"><a class="task-list__link link" href="/volunteer/profile">
                                            {if list.has_profile { "Change your volunteer profile" } else { "Tell us what you like doing and when you are free" }}</a>
                                            <p class="hint">"Your interests, skills, areas and times: we use them to show what fits you best."</p></li>
                                        <li class="task-list__item"><a class="task-list__link link" href="/volunteer/interests">"Opportunities you are interested in"</a>
                                            <p class="hint">"And whether the group has been in touch."</p></li>
                                    </ul>
                                }.into_any()
                            } else {
                                view! { <p class="inset"><a class="link" href="/sign-in">"Sign in"</a> " or " <a class="link" href="/register">"create an account"</a> " to see what fits you best and to tell a group you are interested."</p> }.into_any()
                            }}
                            {list.has_profile.then(|| view! {
                                <nav class="tabs" aria-label="Which opportunities">
                                    <ul class="tabs__list">
                                        <li><a class="tabs__tab link" href="/volunteer" aria-current=list.ranked.then_some("page")>"Your matches"</a></li>
                                        <li><a class="tabs__tab link" href="/volunteer?all=1" aria-current=(!list.ranked).then_some("page")>"All opportunities"</a></li>
                                    </ul>
                                </nav>
                            })}
                            // A plain GET form: filtering works without JavaScript and the address can be shared.
                            <form method="get" action="/volunteer" class="filters" aria-labelledby="filters-heading">
                                <h2 class="heading-s" id="filters-heading">"Filter"</h2>
                                {all.map(|_| view! { <input type="hidden" name="all" value="1"/> })}
                                <FilterSelect name="area" label="Area" all="All areas" choices=list.areas.clone() chosen=area/>
                                <FilterSelect name="interest" label="Interest" all="All interests" choices=list.interests.clone() chosen=interest/>
                                <button type="submit" class="button button--secondary">"Apply filters"</button>
                            </form>
                            <p class="body" role="status">{counted}</p>
                            <ul class="card-list">
                                {list.items.into_iter().map(|c| view! { <OpportunityCardView card=c/> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn OpportunityPage() -> impl IntoView {
    let params = use_params_map();
    let express = ServerAction::<ExpressInterest>::new();
    let id = move || params.read().get("id").unwrap_or_default();
    let page = Resource::new(move || (id(), express.version().get()), |(id, _)| get_opportunity(id));
    view! {
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <Title text="Opportunity"/><PageProblem error/> }.into_any(),
                    Ok(view) => view! { <OpportunityBody view express/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "Yes"
    } else {
        "No"
    }
}

#[component]
fn Row(key: &'static str, value: String) -> impl IntoView {
    (!value.is_empty()).then(|| {
        view! {
            <div class="summary-list__row">
                <dt class="summary-list__key">{key}</dt>
                <dd class="summary-list__value">{value}</dd>
            </div>
        }
    })
}

#[component]
fn OpportunityBody(view: OpportunityView, express: ServerAction<ExpressInterest>) -> impl IntoView {
    let card = view.card.clone();
    let error = Signal::derive(move || express.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let open = view.takes_volunteers;
    let when = match (&view.on_date, view.regular) {
        (Some(d), false) => format!("Once, on {}", long_date(d)),
        _ if view.times.is_empty() => "Regular, at times that suit you".to_string(),
        _ => format!("Regular: {}", view.times.join(", ")),
    };
    let age = match view.minimum_age {
        0 => "Any age".to_string(),
        n => format!("{n} or over"),
    };
    let oid = card.id.clone();
    let area = if card.areas.is_empty() { "Anywhere".to_string() } else { card.areas.join(", ") };
    let place = if card.place.is_empty() { area } else { format!("{area}: {}", card.place) };
    view! {
        <Title text=card.title.clone()/>
        <p class="caption">{card.organisation_name.clone()}</p>
        <h1 class="heading-l">{card.title.clone()}</h1>
        <p class="card__meta"><strong class=if open { "tag tag--green" } else { "tag tag--grey" }>{if open || card.status != crate::domain::volunteering::OpportunityStatus::Open { card.status.label() } else { "Date passed" }}</strong></p>
        {card.reason.clone().map(|r| view! { <p class="match-reason"><strong>"Why it fits you: "</strong>{r}</p> })}
        {view.can_manage.then(|| view! {
            <p class="body"><a class="link" href=format!("/manage/opportunities/{}", card.id)>"Manage this opportunity"</a></p>
        })}
        <p class="lead">{view.description.clone()}</p>
        <dl class="summary-list">
            <Row key="Where" value=place/>
            <Row key="When" value=when/>
            <Row key="Hours a week" value=view.hours_per_week.map(|h| h.to_string()).unwrap_or_default()/>
            <Row key="Interests" value=card.interests.join(", ")/>
            <Row key="Skills that help" value=view.skills.join(", ")/>
            <Row key="Age" value=age/>
            <Row key="DBS check needed" value=yes_no(view.dbs_required).to_string()/>
            <Row key="Volunteers needed" value=view.capacity.map(|c| c.to_string()).unwrap_or_default()/>
            <Row key="Accessibility" value=view.accessibility.clone()/>
            <Row key="Contact" value=view.contact.clone()/>
        </dl>
        <section aria-labelledby="interest-heading">
            <h2 class="heading-m" id="interest-heading">"Interested?"</h2>
            {match (view.mine.clone(), view.resident, open) {
                (Some(mine), _, _) => view! {
                    <SuccessBanner title="You said you are interested">
                        <p>{format!("Sent {}. ", long_date(&mine.sent_on))} <strong>{mine.status.for_resident()}</strong></p>
                        <p>{if mine.share_contact { "The group can see your name and e-mail address." } else { "You did not share your contact details: contact the group if you do not hear from them." }}</p>
                    </SuccessBanner>
                }.into_any(),
                (None, _, false) => view! { <p class="inset">"This opportunity is not taking volunteers now."</p> }.into_any(),
                (None, true, true) => view! {
                    <ErrorSummary error first_field="message"/>
                    <ActionForm action=express attr:novalidate=true attr:class="form" attr:aria-labelledby="interest-heading">
                        <input type="hidden" name="opportunity_id" value=oid/>
                        <div class="form-group">
                            <div class="radios__item">
                                <input class="radios__input" type="checkbox" id="share_contact" name="share_contact" value="yes"/>
                                <label class="radios__label" for="share_contact">
                                    {format!("Share my name and e-mail address with {} so they can contact me", card.organisation_name)}
                                </label>
                            </div>
                        </div>
                        <PostedField name="message" label="Anything you would like them to know? (optional)" multiline=true
                            hint="For example, when you could start, or anything you need to take part." errors/>
                        <button type="submit" class="button" disabled=move || express.pending().get()>"I am interested"</button>
                    </ActionForm>
                }.into_any(),
                (None, false, true) if view.signed_in => view! {
                    <p class="body">"Residents say they are interested here when they are signed in to their own account."</p>
                }.into_any(),
                (None, false, true) => view! {
                    <p class="body"><a class="link" href="/sign-in">"Sign in"</a> " to tell the group you are interested and follow what happens."</p>
                    {(!view.contact.is_empty()).then(|| view! { <p class="body">"Or contact them: " {view.contact.clone()}</p> })}
                }.into_any(),
            }}
        </section>
        <p class="body"><a class="link" href="/volunteer">"Back to volunteering"</a></p>
    }
}

#[component]
pub fn VolunteerProfilePage() -> impl IntoView {
    let save = ServerAction::<SaveProfile>::new();
    let profile = Resource::new(|| (), |_| get_profile());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text="Your volunteer profile"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(p) => {
                        let bands: Vec<(String, String)> = AgeBand::ALL.iter().map(|b| (b.as_str().to_string(), b.label().to_string())).collect();
                        view! {
                            <ErrorSummary error first_field="interests"/>
                            <h1 class="heading-l">"Your volunteer profile"</h1>
                            <p class="body">"We use this to show the opportunities that fit you best, and why. Only you can see it, unless you agree below that groups may suggest you."</p>
                            {p.prefilled.then(|| view! {
                                <p class="inset">"We have filled in what you told an outreach worker at your door. Check it and change anything that is not right."</p>
                            })}
                            <ActionForm action=save attr:novalidate=true attr:class="form" attr:aria-labelledby="profile-heading">
                                <h2 class="visually-hidden" id="profile-heading">"Your volunteer profile"</h2>
                                <Checkboxes form="form" name="interests" legend="What are you interested in?" choices=p.interest_choices.clone() checked=p.interests.clone() errors/>
                                <PostedField form="form" name="skills" label="Skills you would like to use (optional)" hint="Separate them with commas, for example: cooking, driving, first aid."
                                    value=p.skills.clone() errors/>
                                <Checkboxes form="form" name="areas" legend="Which areas can you get to?" choices=p.area_choices.clone() checked=p.areas.clone()
                                    hint="Leave them all unticked if you would rather help from home." errors/>
                                <WeekGrid form="form" legend="When could you help?" hint="Tick every time that usually suits you." checked=p.slots.clone() errors/>
                                <Radios form="form" name="age_band" legend="How old are you?" hint="Some opportunities have a minimum age." choices=bands
                                    checked=p.age_band.map(|b| b.as_str().to_string()).unwrap_or_default() errors/>
                                <div class="form-group">
                                    <fieldset class="fieldset">
                                        <legend class="fieldset__legend">"Checks and sharing"</legend>
                                        <div class="radios__item">
                                            <input class="radios__input" type="checkbox" id="has_dbs" name="form[has_dbs]" value="yes" checked=p.has_dbs/>
                                            <label class="radios__label" for="has_dbs">"I have a DBS check"</label>
                                        </div>
                                        <div class="radios__item">
                                            <input class="radios__input" type="checkbox" id="open_to_suggestions" name="form[open_to_suggestions]" value="yes" checked=p.open_to_suggestions
                                                aria-describedby="open_to_suggestions-hint"/>
                                            <label class="radios__label" for="open_to_suggestions">"Local groups may suggest me for their opportunities"</label>
                                            <p class="hint" id="open_to_suggestions-hint">"They will see your name, e-mail address and this profile, and may contact you. You can untick this at any time."</p>
                                        </div>
                                    </fieldset>
                                </div>
                                <button type="submit" class="button" disabled=move || save.pending().get()>"Save and see my matches"</button>
                            </ActionForm>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn MyInterestsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| my_interests());
    view! {
        <Title text="Opportunities you are interested in"/>
        <h1 class="heading-l">"Opportunities you are interested in"</h1>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(items) if items.is_empty() => view! {
                        <p class="body">"You have not said you are interested in any opportunity yet. " <a class="link" href="/volunteer">"Find one"</a></p>
                    }.into_any(),
                    Ok(items) => view! {
                        <div class="table-wrap">
                            <table class="table">
                                <caption class="visually-hidden">"Your expressions of interest"</caption>
                                <thead><tr><th scope="col">"Opportunity"</th><th scope="col">"Group"</th><th scope="col">"Sent"</th><th scope="col">"Where it has got to"</th></tr></thead>
                                <tbody>
                                    {items.into_iter().map(|i| view! {
                                        <tr>
                                            <td><a class="link" href=format!("/volunteer/{}", i.opportunity_id)>{i.title}</a></td>
                                            <td>{i.organisation_name}</td>
                                            <td>{long_date(&i.sent_on)}</td>
                                            <td><strong>{i.status.for_resident()}</strong></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
