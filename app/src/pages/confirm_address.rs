//! `/email/confirm/:token`: the link that confirms an address left on a consultation response
//! (double opt-in). Opening it changes nothing; the button posts, and works without JavaScript.

use crate::api::email::{check_address_confirmation, ConfirmAddress};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ConfirmAddressPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmAddress>::new();
    // Asked again once the button has done its work, so the page shows the address confirmed.
    let link = Resource::new(move || (token(), confirm.version().get()), |(token, _)| check_address_confirmation(token));
    let failed = Signal::derive(move || confirm.value().get().and_then(|r| r.err()));
    view! {
        <Title text="Confirm you want updates"/>
        <div class="narrow">
            <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Err(error) => view! { <PageProblem error/> }.into_any(),
                        Ok(about) if about.confirmed => {
                            let just_now = query.read().get("done").is_some() || confirm.version().get() > 0;
                            let banner = just_now.then(|| format!("Updates on “{}” will be emailed to {}.", about.title, about.address));
                            view! {
                                {banner.map(|words| view! {
                                    <SuccessBanner title="Address confirmed"><p>{words}</p></SuccessBanner>
                                })}
                                <h1 class="heading-l">"You will hear what happens"</h1>
                                <p class="body">"When there is news about what is done with what people said, we will email " {about.address.clone()} ". Each email has a link to stop them."</p>
                                <p class="body"><a class="link" href=format!("/consultations/{}", about.consultation_id)>"Back to “" {about.title.clone()} "”"</a></p>
                            }.into_any()
                        }
                        Ok(about) => view! {
                            {move || failed.get().map(|error| view! { <PageProblem error/> })}
                            <h1 class="heading-l">"Confirm you want updates"</h1>
                            <p class="body">"Someone responded to “" {about.title.clone()} "” and asked for updates to be emailed to "
                                <strong>{about.address.clone()}</strong> ". If it was you, confirm it."</p>
                            <p class="body">"If it was not you, you do not need to do anything: nothing more is sent to this address."</p>
                            <ActionForm action=confirm attr:class="form">
                                <input type="hidden" name="token" value=token()/>
                                <button type="submit" class="button" disabled=move || confirm.pending().get()>"Confirm I want updates"</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
