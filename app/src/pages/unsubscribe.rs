//! `/email/unsubscribe/:token`: stopping emails from a link in one. A plain form that posts to
//! the link itself (as a mail client's one-click unsubscribe does); it needs no JavaScript.

use crate::api::email::check_unsubscribe;
use crate::components::address_value;
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let params = use_params_map();
    let query = use_query_map();
    let token = move || address_value(params, "token").unwrap_or_default();
    let done = move || address_value(query, "done").is_some();
    let about = Resource::new(token, check_unsubscribe);
    view! {
        <Title text=td_string!(locale, unsubscribe.page_title)/>
        <div class="narrow">
            <Suspense fallback=move || view! { <p class="body">{td_string!(locale, unsubscribe.loading)}</p> }>
                {move || Suspend::new(async move {
                    match about.await {
                        Err(error) => view! { <PageProblem error/> }.into_any(),
                        Ok(what) if done() => view! {
                            <SuccessBanner title=td_string!(locale, unsubscribe.done_title)><p>{td_string!(locale, unsubscribe.done_text, what = what)}</p></SuccessBanner>
                            <h1 class="heading-l">{td_string!(locale, unsubscribe.done_heading)}</h1>
                            <p class="body">{td_string!(locale, unsubscribe.changed_mind)}</p>
                        }.into_any(),
                        Ok(what) => view! {
                            <h1 class="heading-l">{td_string!(locale, unsubscribe.page_title)}</h1>
                            <p class="body">{td_string!(locale, unsubscribe.no_longer, what = what)}</p>
                            <form method="post" action=format!("/email/unsubscribe/{}", token()) class="form">
                                <button type="submit" class="button">{td_string!(locale, unsubscribe.stop_button)}</button>
                            </form>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
