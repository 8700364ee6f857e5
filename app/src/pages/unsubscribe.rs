//! `/email/unsubscribe/:token`: stopping emails from a link in one. A plain form that posts to
//! the link itself (as a mail client's one-click unsubscribe does); it needs no JavaScript.

use crate::api::email::check_unsubscribe;
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let done = move || query.read().get("done").is_some();
    let about = Resource::new(token, check_unsubscribe);
    view! {
        <Title text="Stop these emails"/>
        <div class="narrow">
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match about.await {
                        Err(error) => view! { <PageProblem error/> }.into_any(),
                        Ok(what) if done() => view! {
                            <SuccessBanner title="Unsubscribed"><p>"You will not get " {what} " any more."</p></SuccessBanner>
                            <h1 class="heading-l">"You have unsubscribed"</h1>
                            <p class="body">"Changed your mind? Tick “Email me” the next time you respond."</p>
                        }.into_any(),
                        Ok(what) => view! {
                            <h1 class="heading-l">"Stop these emails"</h1>
                            <p class="body">"You will no longer get " {what} "."</p>
                            <form method="post" action=format!("/email/unsubscribe/{}", token()) class="form">
                                <button type="submit" class="button">"Stop these emails"</button>
                            </form>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
