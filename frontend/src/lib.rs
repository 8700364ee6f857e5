//! The browser entry point: hydrates the server-rendered page. Everything else lives in `app`.

use leptos::prelude::document;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // As `leptos::mount::hydrate_lazy`: a page whose code is in a split chunk
    // (`app::pages::lazy`) is hydrated once its chunk has arrived. The page is marked interactive
    // (`data-hydrated`, which CSS and the end-to-end tests read) only then, and after one turn of
    // the executor so the effects hydration queued (the page's title among them) have run.
    wasm_bindgen_futures::spawn_local(async {
        let body = document().body().expect("the page has a body");
        let app = leptos::mount::hydrate_from_async(body, app::App).await;
        app.forget();
        leptos::task::tick().await;
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
