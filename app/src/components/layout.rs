use crate::api::auth::Logout;
use crate::components::forms::focus_on_click;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

/// The page frame: skip link, header with role-based navigation, main content, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
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
        <a href="#main-content" class="skip-link" on:click=focus_on_click("main-content".into())>"Skip to main content"</a>
        <header class="header">
            <div class="header__inner">
                <a href="/" class="header__brand">"Mobilise"</a>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let user = session.user.await.ok().flatten();
                        let Some(user) = user else {
                            // Anyone can take part in consultations without an account.
                            return view! {
                                <nav class="nav" aria-label="Main">
                                    <ul class="nav__list">
                                        <li><A href="/consultations" attr:class="nav__link">"Consultations"</A></li>
                                        <li><A href="/volunteer" attr:class="nav__link">"Volunteer"</A></li>
                                        <li><A href="/what-you-can-do" attr:class="nav__link">"What you can do"</A></li>
                                        <li><A href="/sign-in" attr:class="nav__link">"Sign in"</A></li>
                                    </ul>
                                </nav>
                            }.into_any();
                        };
                        {
                            let nav = user.role.navigation(user.consultation_rights);
                            view! {
                                <span class="header__org">{user.organisation_name.clone()}</span>
                                <nav class="nav" aria-label="Main">
                                    <ul class="nav__list">
                                        // `A` marks the current page with aria-current itself.
                                        {nav.into_iter().map(|(href, label)| view! {
                                            <li><A href=href attr:class="nav__link">{label}</A></li>
                                        }).collect_view()}
                                    </ul>
                                </nav>
                                <div class="header__account">
                                    <A href="/account" attr:class="header__user" attr:title="Your account">{user.display_name.clone()}</A>
                                    <ActionForm action=logout attr:class="inline-form">
                                        <button type="submit" class="button button--secondary button--small" on:click=on_sign_out>"Sign out"</button>
                                    </ActionForm>
                                </div>
                                <Show when=move || confirming.get()>
                                    <div class="sign-out-warning" role="alertdialog" aria-labelledby="sign-out-title" aria-describedby="sign-out-text">
                                        <h2 class="heading-s" id="sign-out-title">"Records not sent yet"</h2>
                                        <p id="sign-out-text">
                                            {move || match device.outbox.get().pending() { 1 => "1 record on this tablet has".to_string(), n => format!("{n} records on this tablet have") }}
                                            " not reached the server. If you sign out now they will be deleted from this tablet and lost."
                                        </p>
                                        <button type="button" class="button" on:click=move |_| { confirming.set(false); device.sync_now(); }>"Stay signed in and sync"</button>
                                        " "
                                        <ActionForm action=logout attr:class="inline-form">
                                            <button type="submit" class="button button--warning" on:click=move |_| device.wipe()>"Sign out and delete them"</button>
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
                <p>"Mobilise – residents as citizens, not passive recipients of services."</p>
            </div>
        </footer>
    }
}
