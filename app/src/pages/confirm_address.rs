//! `/email/confirm/:token`: the link that confirms an address left on a consultation response
//! (double opt-in). Opening it changes nothing; the button posts, and works without JavaScript.

use crate::api::email::{check_address_confirmation, ConfirmAddress};
use crate::components::address_value;
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ConfirmAddressPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let params = use_params_map();
    let query = use_query_map();
    let token = move || address_value(params, "token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmAddress>::new();
    // Asked again once the button has done its work, so the page shows the address confirmed.
    let link = Resource::new(move || (token(), confirm.version().get()), |(token, _)| check_address_confirmation(token));
    let failed = Signal::derive(move || confirm.value().get().and_then(|r| r.err()));
    view! {
        <Title text=td_string!(locale, confirm_address.page_title)/>
        <div class="narrow">
            <Suspense fallback=move || view! { <p class="body">{td_string!(locale, confirm_address.loading)}</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Err(error) => view! { <PageProblem error/> }.into_any(),
                        Ok(about) if about.confirmed => {
                            let just_now = address_value(query, "done").is_some() || confirm.version().get() > 0;
                            let banner = just_now.then(|| td_string!(locale, confirm_address.banner_text, title = &about.title, address = &about.address));
                            view! {
                                {banner.map(|words| view! {
                                    <SuccessBanner title=td_string!(locale, confirm_address.banner_title)><p>{words}</p></SuccessBanner>
                                })}
                                <h1 class="heading-l">{td_string!(locale, confirm_address.confirmed_heading)}</h1>
                                <p class="body">{td_string!(locale, confirm_address.news, address = about.address.clone())}</p>
                                <p class="body"><a class="link" href=format!("/consultations/{}", about.consultation_id)>{td_string!(locale, confirm_address.back_to, title = about.title.clone())}</a></p>
                            }.into_any()
                        }
                        Ok(about) => view! {
                            {move || failed.get().map(|error| view! { <PageProblem error/> })}
                            <h1 class="heading-l">{td_string!(locale, confirm_address.page_title)}</h1>
                            <p class="body">{td_string!(locale, confirm_address.asked, title = about.title.clone())} " "
                                <strong>{about.address.clone()}</strong> ". " {td_string!(locale, confirm_address.if_you)}</p>
                            <p class="body">{td_string!(locale, confirm_address.not_you)}</p>
                            <ActionForm action=confirm attr:class="form">
                                <input type="hidden" name="token" value=token()/>
                                <button type="submit" class="button" disabled=move || confirm.pending().get()>{td_string!(locale, confirm_address.confirm_button)}</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
