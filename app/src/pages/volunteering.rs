//! Resident pages for volunteering: browse and filter opportunities (no account needed), a
//! volunteer profile with a weekly grid, ranked matches with the reason, one-tap interest and
//! where each interest has got to. Plain server-rendered pages with real forms: they work on a
//! cheap phone with JavaScript off.

use crate::api::volunteering::{
    get_opportunity, get_profile, list_opportunities, my_interests, ExpressInterest, OpportunityCard, OpportunityView, SaveProfile,
};
use crate::components::address_value;
use crate::components::filters::FilterSelect;
use crate::components::forms::{field_errors, Checkboxes, ErrorSummary, PostedField, Radios};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::components::week_grid::WeekGrid;
use crate::domain::matching::AgeBand;
use crate::domain::Role;
use crate::i18n::{td_string, Locale};
use crate::language::names::{self, HasName};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The opportunity's area, interests and times in one line.
fn about(card: &OpportunityCard, locale: Locale) -> String {
    let areas = if card.areas.is_empty() { td_string!(locale, volunteering.anywhere).to_string() } else { card.areas.join(", ") };
    [areas, card.interests.join(", "), card.when.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")
}

#[component]
fn OpportunityCardView(card: OpportunityCard) -> impl IntoView {
    let locale = crate::language::page_locale();
    let line = about(&card, locale);
    let shown = crate::language::content_shown(&card.title_cy).0;
    let (title, title_lang, title_dir) = crate::language::in_shown(shown, &card.title, &card.title_cy);
    let (summary, summary_lang, summary_dir) = crate::language::in_shown(shown, &card.summary, &card.summary_cy);
    view! {
        <li class="card">
            <h2 class="heading-m card__title"><a class="link" href=format!("/volunteer/{}", card.id) lang=title_lang dir=title_dir>{title}</a></h2>
            <p class="card__meta">{card.organisation_name.clone()} {(!card.place.is_empty()).then(|| format!(" · {}", card.place))}</p>
            {card.reason.clone().map(|r| view! { <p class="match-reason"><strong>{td_string!(locale, volunteering.why_fits)}" "</strong>{r}</p> })}
            <p class="body" lang=summary_lang dir=summary_dir>{summary}</p>
            <p class="hint">{line}</p>
        </li>
    }
}

#[component]
pub fn VolunteerPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let query = use_query_map();
    let session = use_session();
    let filters = move || {
        let q = query.try_get().unwrap_or_default();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (get("area"), get("interest"), get("all"))
    };
    let list = Resource::new(filters, |(area, interest, all)| list_opportunities(area, interest, all));
    let saved = move || address_value(query, "saved").is_some();
    view! {
        <Title text=td_string!(locale, volunteering.page_title)/>
        {move || saved().then(|| view! {
            <SuccessBanner title=td_string!(locale, volunteering.profile_saved)><p>{td_string!(locale, volunteering.matches_below)}</p></SuccessBanner>
        })}
        <h1 class="heading-l">{td_string!(locale, volunteering.heading)}</h1>
        <p class="body">{td_string!(locale, volunteering.lead)}</p>
        <p class="body">{td_string!(locale, volunteering.group_prompt)}" "
            <a class="link" href="/partners/join">{td_string!(locale, volunteering.join_link)}</a></p>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, volunteering.loading)}</p> }>
            {move || Suspend::new(async move {
                let (area, interest, all) = filters();
                let resident = matches!(session.user.await, Ok(Some(u)) if u.role == Role::Resident);
                match list.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(list) => {
                        let count = list.items.len();
                        let counted = match (list.ranked, count) {
                            (true, 0) => td_string!(locale, volunteering.no_matches).to_string(),
                            (true, n) => td_string!(locale, volunteering.count_matches, count = n),
                            (false, 0) => td_string!(locale, volunteering.no_opportunities).to_string(),
                            (false, n) => td_string!(locale, volunteering.count_opportunities, count = n),
                        };
                        view! {
                            {if resident {
                                view! {
                                    <ul class="task-list">
                                        <li class="task-list__item"><a class="task-list__link link" href="/volunteer/profile">
                                            {if list.has_profile { td_string!(locale, volunteering.change_profile) } else { td_string!(locale, volunteering.make_profile) }}</a>
                                            <p class="hint">{td_string!(locale, volunteering.profile_hint)}</p></li>
                                        <li class="task-list__item"><a class="task-list__link link" href="/volunteer/interests">{td_string!(locale, volunteering.my_interests)}</a>
                                            <p class="hint">{td_string!(locale, volunteering.my_interests_hint)}</p></li>
                                    </ul>
                                }.into_any()
                            } else {
                                view! { <p class="inset"><a class="link" href="/sign-in">{td_string!(locale, volunteering.sign_in)}</a> " " {td_string!(locale, volunteering.or)} " " <a class="link" href="/register">{td_string!(locale, volunteering.create_account)}</a> " " {td_string!(locale, volunteering.sign_in_to_see)}</p> }.into_any()
                            }}
                            {list.has_profile.then(|| view! {
                                <nav class="tabs" aria-label=td_string!(locale, volunteering.tabs_label)>
                                    <ul class="tabs__list">
                                        <li><a class="tabs__tab link" href="/volunteer" aria-current=list.ranked.then_some("page")>{td_string!(locale, volunteering.tab_matches)}</a></li>
                                        <li><a class="tabs__tab link" href="/volunteer?all=1" aria-current=(!list.ranked).then_some("page")>{td_string!(locale, volunteering.tab_all)}</a></li>
                                    </ul>
                                </nav>
                            })}
                            // A plain GET form: filtering works without JavaScript and the address can be shared.
                            <form method="get" action="/volunteer" class="filters" aria-labelledby="filters-heading">
                                <h2 class="heading-s" id="filters-heading">{td_string!(locale, volunteering.filter)}</h2>
                                {all.map(|_| view! { <input type="hidden" name="all" value="1"/> })}
                                <FilterSelect name="area" label=td_string!(locale, volunteering.area) all=td_string!(locale, volunteering.all_areas) choices=list.areas.clone() chosen=area/>
                                <FilterSelect name="interest" label=td_string!(locale, volunteering.interest) all=td_string!(locale, volunteering.all_interests) choices=list.interests.clone() chosen=interest/>
                                <button type="submit" class="button button--secondary">{td_string!(locale, volunteering.apply_filters)}</button>
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
    let locale = crate::language::page_locale();
    let params = use_params_map();
    let express = ServerAction::<ExpressInterest>::new();
    let id = move || address_value(params, "id").unwrap_or_default();
    let page = Resource::new(move || (id(), express.version().get()), |(id, _)| get_opportunity(id));
    view! {
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, volunteering.loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <Title text=td_string!(locale, volunteering.opportunity)/><PageProblem error/> }.into_any(),
                    Ok(view) => view! { <OpportunityBody view express/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn yes_no(b: bool, locale: Locale) -> &'static str {
    if b {
        td_string!(locale, volunteering.yes)
    } else {
        td_string!(locale, volunteering.no)
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
    let locale = crate::language::page_locale();
    let card = view.card.clone();
    let error = Signal::derive(move || express.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let open = view.takes_volunteers;
    let when = match (&view.on_date, view.regular) {
        (Some(d), false) => td_string!(locale, volunteering.once_on, date = names::long_date(locale, d)),
        _ if view.times.is_empty() => td_string!(locale, volunteering.regular_any_time).to_string(),
        _ => td_string!(locale, volunteering.regular_times, times = view.times.join(", ")),
    };
    let age = match view.minimum_age {
        0 => td_string!(locale, volunteering.any_age).to_string(),
        n => td_string!(locale, volunteering.age_or_over, age = n),
    };
    let oid = card.id.clone();
    let area = if card.areas.is_empty() { td_string!(locale, volunteering.anywhere).to_string() } else { card.areas.join(", ") };
    let place = if card.place.is_empty() { area } else { format!("{area}: {}", card.place) };
    let (shown, note) = crate::language::content_shown(&card.title_cy);
    let (title, title_lang, title_dir) = crate::language::in_shown(shown, &card.title, &card.title_cy);
    let (description, description_lang, description_dir) = crate::language::in_shown(shown, &view.description, &view.description_cy);
    view! {
        <Title text=title.clone()/>
        <p class="caption">{card.organisation_name.clone()}</p>
        <h1 class="heading-l" lang=title_lang dir=title_dir>{title}</h1>
        // Not written in the reader's language: said so, in their language.
        {note.map(|_| view! { <p class="inset" id="language-note">{td_string!(locale, volunteering.not_in_your_language)}</p> })}
        <p class="card__meta"><strong class=if open { "tag tag--green" } else { "tag tag--grey" }>{if open || card.status != crate::domain::volunteering::OpportunityStatus::Open { card.status.name(locale) } else { td_string!(locale, volunteering.date_passed) }}</strong></p>
        {card.reason.clone().map(|r| view! { <p class="match-reason"><strong>{td_string!(locale, volunteering.why_fits)}" "</strong>{r}</p> })}
        {view.can_manage.then(|| view! {
            <p class="body"><a class="link" href=format!("/manage/opportunities/{}", card.id)>{td_string!(locale, volunteering.manage_link)}</a></p>
        })}
        <p class="lead" lang=description_lang dir=description_dir>{description}</p>
        <dl class="summary-list">
            <Row key=td_string!(locale, volunteering.row_where) value=place/>
            <Row key=td_string!(locale, volunteering.row_when) value=when/>
            <Row key=td_string!(locale, volunteering.row_hours) value=view.hours_per_week.map(|h| h.to_string()).unwrap_or_default()/>
            <Row key=td_string!(locale, volunteering.row_interests) value=card.interests.join(", ")/>
            <Row key=td_string!(locale, volunteering.row_skills) value=view.skills.join(", ")/>
            <Row key=td_string!(locale, volunteering.row_age) value=age/>
            <Row key=td_string!(locale, volunteering.row_dbs) value=yes_no(view.dbs_required, locale).to_string()/>
            <Row key=td_string!(locale, volunteering.row_capacity) value=view.capacity.map(|c| c.to_string()).unwrap_or_default()/>
            <Row key=td_string!(locale, volunteering.row_accessibility) value=view.accessibility.clone()/>
            <Row key=td_string!(locale, volunteering.row_contact) value=view.contact.clone()/>
        </dl>
        <section aria-labelledby="interest-heading">
            <h2 class="heading-m" id="interest-heading">{td_string!(locale, volunteering.interested_heading)}</h2>
            {match (view.mine.clone(), view.resident, open) {
                (Some(mine), _, _) => view! {
                    <SuccessBanner title=td_string!(locale, volunteering.you_said_interested)>
                        <p>{td_string!(locale, volunteering.sent_on, date = names::long_date(locale, &mine.sent_on))}" " <strong>{names::interest_for_resident(locale, mine.status)}</strong></p>
                        <p>{if mine.share_contact { td_string!(locale, volunteering.shared_contact) } else { td_string!(locale, volunteering.not_shared_contact) }}</p>
                    </SuccessBanner>
                }.into_any(),
                (None, _, false) => view! { <p class="inset">{td_string!(locale, volunteering.not_taking)}</p> }.into_any(),
                (None, true, true) => view! {
                    <ErrorSummary error first_field="message"/>
                    <ActionForm action=express attr:novalidate=true attr:class="form" attr:aria-labelledby="interest-heading">
                        <input type="hidden" name="opportunity_id" value=oid/>
                        <div class="form-group">
                            <div class="radios__item">
                                <input class="radios__input" type="checkbox" id="share_contact" name="share_contact" value="yes"/>
                                <label class="radios__label" for="share_contact">
                                    {td_string!(locale, volunteering.share_label, group = card.organisation_name.clone())}
                                </label>
                            </div>
                        </div>
                        <PostedField name="message" label=td_string!(locale, volunteering.message_label) multiline=true
                            hint=td_string!(locale, volunteering.message_hint) errors/>
                        <button type="submit" class="button" disabled=move || express.pending().get()>{td_string!(locale, volunteering.interested_button)}</button>
                    </ActionForm>
                }.into_any(),
                (None, false, true) if view.signed_in => view! {
                    <p class="body">{td_string!(locale, volunteering.residents_only)}</p>
                }.into_any(),
                (None, false, true) => view! {
                    <p class="body"><a class="link" href="/sign-in">{td_string!(locale, volunteering.sign_in)}</a> " " {td_string!(locale, volunteering.sign_in_to_tell)}</p>
                    {(!view.contact.is_empty()).then(|| view! { <p class="body">{td_string!(locale, volunteering.or_contact)}" " {view.contact.clone()}</p> })}
                }.into_any(),
            }}
        </section>
        <p class="body"><a class="link" href="/volunteer">{td_string!(locale, volunteering.back)}</a></p>
    }
}

#[component]
pub fn VolunteerProfilePage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let save = ServerAction::<SaveProfile>::new();
    let profile = Resource::new(|| (), |_| get_profile());
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    view! {
        <Title text=td_string!(locale, volunteering.profile_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, volunteering.loading)}</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(p) => {
                        let bands: Vec<(String, String)> = AgeBand::ALL.iter().map(|b| (b.as_str().to_string(), b.name(locale).to_string())).collect();
                        view! {
                            <ErrorSummary error first_field="interests"/>
                            <h1 class="heading-l">{td_string!(locale, volunteering.profile_title)}</h1>
                            <p class="body">{td_string!(locale, volunteering.profile_lead)}</p>
                            {p.prefilled.then(|| view! {
                                <p class="inset">{td_string!(locale, volunteering.prefilled)}</p>
                            })}
                            <ActionForm action=save attr:novalidate=true attr:class="form" attr:aria-labelledby="profile-heading">
                                <h2 class="visually-hidden" id="profile-heading">{td_string!(locale, volunteering.profile_title)}</h2>
                                <Checkboxes form="form" name="interests" legend=td_string!(locale, volunteering.interests_legend) choices=p.interest_choices.clone() checked=p.interests.clone() errors/>
                                <PostedField form="form" name="skills" label=td_string!(locale, volunteering.skills_label) hint=td_string!(locale, volunteering.skills_hint)
                                    value=p.skills.clone() errors/>
                                <Checkboxes form="form" name="areas" legend=td_string!(locale, volunteering.areas_legend) choices=p.area_choices.clone() checked=p.areas.clone()
                                    hint=td_string!(locale, volunteering.areas_hint) errors/>
                                <WeekGrid form="form" legend=td_string!(locale, volunteering.times_legend) hint=td_string!(locale, volunteering.times_hint) checked=p.slots.clone() errors/>
                                <Radios form="form" name="age_band" legend=td_string!(locale, volunteering.age_legend) hint=td_string!(locale, volunteering.age_hint) choices=bands
                                    checked=p.age_band.map(|b| b.as_str().to_string()).unwrap_or_default() errors/>
                                <div class="form-group">
                                    <fieldset class="fieldset">
                                        <legend class="fieldset__legend">{td_string!(locale, volunteering.checks_legend)}</legend>
                                        <div class="radios__item">
                                            <input class="radios__input" type="checkbox" id="has_dbs" name="form[has_dbs]" value="yes" checked=p.has_dbs/>
                                            <label class="radios__label" for="has_dbs">{td_string!(locale, volunteering.has_dbs)}</label>
                                        </div>
                                        <div class="radios__item">
                                            <input class="radios__input" type="checkbox" id="open_to_suggestions" name="form[open_to_suggestions]" value="yes" checked=p.open_to_suggestions
                                                aria-describedby="open_to_suggestions-hint"/>
                                            <label class="radios__label" for="open_to_suggestions">{td_string!(locale, volunteering.suggest_me)}</label>
                                            <p class="hint" id="open_to_suggestions-hint">{td_string!(locale, volunteering.suggest_me_hint)}</p>
                                        </div>
                                    </fieldset>
                                </div>
                                <button type="submit" class="button" disabled=move || save.pending().get()>{td_string!(locale, volunteering.save_profile)}</button>
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
    let locale = crate::language::page_locale();
    let list = Resource::new(|| (), |_| my_interests());
    view! {
        <Title text=td_string!(locale, volunteering.my_interests)/>
        <h1 class="heading-l">{td_string!(locale, volunteering.my_interests)}</h1>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, volunteering.loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(items) if items.is_empty() => view! {
                        <p class="body">{td_string!(locale, volunteering.no_interests)}" " <a class="link" href="/volunteer">{td_string!(locale, volunteering.find_link)}</a></p>
                    }.into_any(),
                    Ok(items) => view! {
                        <div class="table-wrap">
                            <table class="table">
                                <caption class="visually-hidden">{td_string!(locale, volunteering.interests_caption)}</caption>
                                <thead><tr>
                                    <th scope="col">{td_string!(locale, volunteering.opportunity)}</th>
                                    <th scope="col">{td_string!(locale, volunteering.group)}</th>
                                    <th scope="col">{td_string!(locale, volunteering.sent)}</th>
                                    <th scope="col">{td_string!(locale, volunteering.progress)}</th>
                                </tr></thead>
                                <tbody>
                                    {items.into_iter().map(|i| {
                                        let shown = crate::language::content_shown(&i.title_cy).0;
                                        let (title, lang, dir) = crate::language::in_shown(shown, &i.title, &i.title_cy);
                                        view! {
                                        <tr>
                                            <td><a class="link" href=format!("/volunteer/{}", i.opportunity_id) lang=lang dir=dir>{title}</a></td>
                                            <td>{i.organisation_name}</td>
                                            <td>{names::long_date(locale, &i.sent_on)}</td>
                                            <td><strong>{names::interest_for_resident(locale, i.status)}</strong></td>
                                        </tr>
                                    }}).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
