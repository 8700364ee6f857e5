//! Who is signed in, shared by every page and by the layout: made once by the router's frame
//! (`app::Frame`), read anywhere below it with [`use_session`].

use crate::api::auth::who_am_i;
use crate::api::CurrentUser;
use crate::error::AppError;
use crate::offline::store;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Who is signed in. Fetched again on every navigation, so signing in or out (which navigate)
/// and a deactivated account are reflected straight away.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
}

impl Session {
    /// Makes the session for everything inside the router, and provides it.
    pub fn provide() -> Session {
        let location = use_location();
        let user = Resource::new(move || location.pathname.get(), |_| current_user());
        // Whoever answered (the server, with the page it rendered, or a check since), the tablet
        // keeps the signed-in person's profile for starting offline, and forgets residents'
        // details once nobody is signed in. Pages may be loaded in full, one after another, and
        // never check in the browser: the profile is kept from the first.
        Effect::new(move |_| match user.get() {
            Some(Ok(Some(signed_in))) => {
                let _ = store::save(store::keys::PROFILE, &signed_in);
            }
            Some(Ok(None)) => crate::offline::device::session_ended(),
            _ => {}
        });
        let session = Session { user };
        provide_context(session);
        session
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Who is signed in. In the browser, when the server cannot be reached, the profile saved at
/// the last successful check stands in, so the app keeps working in the field.
async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    // Signed out or expired (`None`): nothing of the last person may be served from the cache,
    // and their copy of residents' details goes, their unsent records staying for them (in
    // `Session::provide`).
    let result = crate::offline::deadline::within(crate::offline::deadline::WHO_AM_I_MS, who_am_i()).await;
    if let Err(AppError::Transport(_)) = &result {
        if let Some(user) = store::load::<CurrentUser>(store::keys::PROFILE) {
            return Ok(Some(user));
        }
    }
    result
}

/// Once a sign-in answers `true` (a resident), loads the home page afresh from the server:
/// residents' pages come without the app (see `server::plain_pages`), so the app steps aside
/// rather than show the next page itself.
pub fn load_home_afresh_when(told: impl Fn() -> bool + 'static) {
    Effect::new(move |_| {
        if told() {
            let _ = window().location().set_href("/");
        }
    });
}
