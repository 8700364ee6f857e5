use crate::api::auth::Logout;
use crate::components::forms::focus_on_click;
use crate::domain::NavLink;
use crate::i18n::{td_string, Locale};
use crate::language::LanguageSwitch;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

/// The page frame: skip link, header with role-based navigation, main content, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Read once, here: the words inside the `Suspend` below must not read the reactive context,
    // which is gone if the browser leaves before the page is finished (a panic on the server).
    let locale = crate::language::page_locale();
    let session = use_session();
    let logout = ServerAction::<Logout>::new();
    let device = crate::offline::use_device();
    let confirming = RwSignal::new(false);
    // Signing out wipes this user's records from the tablet; unsent ones need a clear yes.
    let on_sign_out = move |ev: leptos::ev::MouseEvent| {
        let unsent = device.outbox.get_untracked().pending();
        if unsent > 0 && !confirming.get_untracked() {
            ev.prevent_default();
            confirming.set(true);
        } else {
            device.wipe();
        }
    };

    view! {
        <a href="#main-content" class="skip-link" on:click=focus_on_click("main-content".into())>{td_string!(locale, layout.skip_link)}</a>
        <div class="language-bar"><div class="language-bar__inner"><LanguageSwitch/></div></div>
        <header class="header">
            <div class="header__inner">
                <a href="/" class="header__brand">"Mobilise"</a>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let user = session.user.await.ok().flatten();
                        let Some(user) = user else {
                            // Anyone can take part in consultations without an account.
                            return view! {
                                <nav class="nav" aria-label=td_string!(locale, layout.main_nav)>
                                    <ul class="nav__list">
                                        <li><A href="/consultations" attr:class="nav__link">{td_string!(locale, layout.consultations)}</A></li>
                                        <li><A href="/volunteer" attr:class="nav__link">{td_string!(locale, layout.volunteer)}</A></li>
                                        <li><A href="/what-you-can-do" attr:class="nav__link">{td_string!(locale, layout.what_you_can_do)}</A></li>
                                        <li><A href="/sign-in" attr:class="nav__link">{td_string!(locale, layout.sign_in)}</A></li>
                                    </ul>
                                </nav>
                            }.into_any();
                        };
                        {
                            let nav = user.role.navigation(user.consultation_rights);
                            view! {
                                <span class="header__org">{user.organisation_name.clone()}</span>
                                <nav class="nav" aria-label=td_string!(locale, layout.main_nav)>
                                    <ul class="nav__list">
                                        // `A` marks the current page with aria-current itself.
                                        {nav.into_iter().map(|link| view! {
                                            <li><A href=link.path() attr:class="nav__link">{nav_label(locale, link)}</A></li>
                                        }).collect_view()}
                                    </ul>
                                </nav>
                                <div class="header__account">
                                    <A href="/account" attr:class="header__user" attr:title=td_string!(locale, layout.your_account)>{user.display_name.clone()}</A>
                                    <ActionForm action=logout attr:class="inline-form">
                                        <button type="submit" class="button button--secondary button--small" on:click=on_sign_out>{td_string!(locale, layout.sign_out)}</button>
                                    </ActionForm>
                                </div>
                                <Show when=move || confirming.get()>
                                    <div class="sign-out-warning" role="alertdialog" aria-labelledby="sign-out-title" aria-describedby="sign-out-text">
                                        <h2 class="heading-s" id="sign-out-title">{td_string!(locale, layout.unsent_title)}</h2>
                                        <p id="sign-out-text">
                                            {move || td_string!(locale, layout.unsent_text, count = device.outbox.get().pending())}
                                        </p>
                                        <button type="button" class="button" on:click=move |_| { confirming.set(false); device.sync_now(); }>{td_string!(locale, layout.stay_and_sync)}</button>
                                        " "
                                        <ActionForm action=logout attr:class="inline-form">
                                            <button type="submit" class="button button--warning" on:click=move |_| device.wipe()>{td_string!(locale, layout.sign_out_and_delete)}</button>
                                        </ActionForm>
                                    </div>
                                </Show>
                            }.into_any()
                        }
                    })}
                </Transition>
            </div>
        </header>
        <main id="main-content" class="main" tabindex="-1">
            {children()}
        </main>
        <footer class="footer">
            <div class="footer__inner">
                <p>{td_string!(locale, layout.footer)}</p>
            </div>
        </footer>
    }
}

/// A navigation link's words, in the page's language.
fn nav_label(locale: Locale, link: NavLink) -> &'static str {
    match link {
        NavLink::Home => td_string!(locale, nav.home),
        NavLink::Outreach => td_string!(locale, nav.outreach),
        NavLink::Consultations | NavLink::ManageConsultations => td_string!(locale, nav.consultations),
        NavLink::Volunteer => td_string!(locale, nav.volunteer),
        NavLink::ManageOpportunities => td_string!(locale, nav.volunteering),
        NavLink::Referrals => td_string!(locale, nav.referrals),
        NavLink::Intelligence => td_string!(locale, nav.intelligence),
        NavLink::CommunityResponses => td_string!(locale, nav.community_responses),
        NavLink::Staff => td_string!(locale, nav.staff),
        NavLink::ManageGuidance => td_string!(locale, nav.manage_guidance),
        NavLink::Privacy => td_string!(locale, nav.privacy),
        NavLink::WhatYouCanDo => td_string!(locale, nav.what_you_can_do),
        NavLink::MyData => td_string!(locale, nav.my_data),
    }
}
