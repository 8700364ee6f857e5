use crate::api::auth::Logout;
use crate::app::use_session;
use crate::components::forms::focus_on_click;
use leptos::prelude::*;
use leptos_router::components::A;

/// The page frame: skip link, header with role-based navigation, main content, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let session = use_session();
    let logout = ServerAction::<Logout>::new();

    view! {
        <a href="#main-content" class="skip-link" on:click=focus_on_click("main-content".into())>"Skip to main content"</a>
        <header class="header">
            <div class="header__inner">
                <a href="/" class="header__brand">"Mobilise"</a>
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let user = session.user.await.ok().flatten();
                        user.map(|user| {
                            let nav = user.role.navigation();
                            view! {
                                <span class="header__org">{user.organisation_name.clone()}</span>
                                <nav class="nav" aria-label="Main">
                                    <ul class="nav__list">
                                        // `A` marks the current page with aria-current itself.
                                        {nav.iter().map(|(href, label)| view! {
                                            <li><A href=*href attr:class="nav__link">{*label}</A></li>
                                        }).collect_view()}
                                    </ul>
                                </nav>
                                <div class="header__account">
                                    <span class="header__user">{user.display_name.clone()}</span>
                                    <ActionForm action=logout attr:class="inline-form">
                                        <button type="submit" class="button button--secondary button--small">"Sign out"</button>
                                    </ActionForm>
                                </div>
                            }
                        })
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
