//! The HTTP edge: cross-site protection, headers, limits, health, pages and forms without JavaScript.

use crate::common::*;
use app::domain::Role;
use axum::body::Body;
use http::{header, Method, StatusCode};

#[tokio::test]
async fn a_post_from_another_site_is_refused_before_it_does_anything() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut c = app.client();
        let body = encode(&[("email", "sam@riverside.example"), ("password", PASSWORD)]);
        let post =
            |c: &Client| c.request(Method::POST, "/api/auth/login").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");

        let r = c.send(post(&c).header(header::ORIGIN, "https://evil.example").body(Body::from(body.clone())).unwrap()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", app.backend);
        let r = c.send(post(&c).body(Body::from(body.clone())).unwrap()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}: no Origin and no fetch metadata", app.backend);
        let r = c.send(post(&c).header("sec-fetch-site", "cross-site").body(Body::from(body.clone())).unwrap()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM login_attempts").await, 0, "{}: refused before the handler ran", app.backend);
        assert!(c.cookie.is_none());

        let r = c.send(post(&c).header("sec-fetch-site", "same-origin").body(Body::from(body.clone())).unwrap()).await;
        assert_eq!(r.status, StatusCode::OK, "{}: same-origin fetch metadata is enough", app.backend);
    }
}

#[tokio::test]
async fn no_state_changes_over_get() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut c = app.client();
        for path in [
            "/api/auth/login?email=sam%40riverside.example&password=correct+horse+battery",
            "/api/auth/logout",
            "/api/staff/create?email=a%40b.example&display_name=A&role=admin",
            "/api/staff/set_active?user_id=x&active=false",
            "/api/staff/set_team?user_id=x&team=North",
            "/api/invitations/accept?token=x&password=y&confirm_password=y",
            "/api/sync/v1/push",
            "/api/consultations/respond?consultation_id=x",
            "/api/consultations/manage/create?title=x&summary=y&background=&opens_on=&closes_on=",
            "/api/consultations/manage/add-question?consultation_id=x&prompt=y&hint=&options=",
            "/api/consultations/manage/stage?consultation_id=x&stage=closed",
            "/api/consultations/manage/outcome?consultation_id=x&reason=&progress=&body=x",
            "/api/consultations/manage/update?consultation_id=x&title=y&summary=z&background=&opens_on=&closes_on=",
            "/api/volunteer/express?opportunity_id=x&share_contact=yes&message=",
            "/api/volunteer/profile/save?skills=&age_band=18_24&times[]=5-0",
            "/api/volunteer/manage/create?title=x&description=y&skills=&place=&frequency=regular&on_date=&hours_per_week=&minimum_age=&capacity=&accessibility=&contact=",
            "/api/volunteer/manage/update?opportunity_id=x&title=x&description=y&skills=&place=&frequency=regular&on_date=&hours_per_week=&minimum_age=&capacity=&accessibility=&contact=",
            "/api/volunteer/manage/status?opportunity_id=x&status=closed",
            "/api/volunteer/manage/interest?interest_id=x&status=placed",
            "/api/privacy/request?resident_id=x&kind=access&received_on=2026-11-01",
            "/api/privacy/request/close?request_id=x",
            "/api/privacy/erase?resident_id=x&confirm=yes",
            "/api/privacy/retention/save?class=conversation_notes&months=1&lawful_basis=consent",
            "/api/privacy/retention/run?dry_run=no",
            "/api/me/consents/save?contact_about_issue=no",
            "/privacy/residents/x/export",
        ] {
            let r = c.get(path).await;
            assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{}: GET {path}", app.backend);
        }
        assert!(c.cookie.is_none());
        assert_eq!(app.count("SELECT COUNT(*) FROM login_attempts").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    }
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce_on_every_inline_script() {
    for app in apps().await {
        let mut c = app.client();
        let r = c.get("/sign-in").await;
        assert_eq!(r.status, StatusCode::OK, "{}", app.backend);
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        assert_eq!(r.header("referrer-policy"), Some("same-origin"));
        assert!(r.header("x-request-id").is_some_and(|id| id.len() == 36), "every response carries a request id");
        assert!(r.header("strict-transport-security").is_none(), "no HSTS without TLS");
        let csp = r.header("content-security-policy").unwrap().to_string();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("a nonce in the CSP");
        let scripts = r.body.matches("<script").count();
        assert!(scripts >= 1, "the hydration script is there");
        assert_eq!(r.body.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "every inline script carries the nonce: {}", r.body);
        // The page also carries the policy itself, before any script, so that it keeps it (and
        // its scripts keep working) whatever happens to the header on the way.
        let meta = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\"", csp.replace("; frame-ancestors 'none'", ""));
        let at = r.body.find(&meta).unwrap_or_else(|| panic!("{}: the policy in the page's head: {}", app.backend, r.body));
        assert!(r.body.find("<script").is_some_and(|s| s > at), "the policy comes before the first script");
        let again = c.get("/sign-in").await;
        assert!(!again.header("content-security-policy").unwrap().contains(nonce), "a fresh nonce per response");
    }
}

#[tokio::test]
async fn over_tls_cookies_are_secure_host_prefixed_and_hsts_is_sent() {
    for app in apps_with(|c| c.secure_cookies = true).await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut c = app.client();
        let r = c.sign_in("sam@riverside.example", PASSWORD).await;
        let cookies: Vec<&str> = r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap()).collect();
        assert!(cookies.iter().any(|c| c.starts_with("__Host-mobilise_session=")), "{cookies:?}");
        assert!(cookies.iter().any(|c| c.starts_with("__Host-mobilise_device=staff")), "{cookies:?}");
        for cookie in cookies {
            assert!(cookie.starts_with("__Host-") && cookie.contains("Secure") && cookie.contains("Path=/"), "{cookie}");
        }
        assert!(r.header("strict-transport-security").unwrap().contains("max-age=31536000"));
    }
}

#[tokio::test]
async fn an_oversized_request_body_is_refused() {
    for app in apps_with(|c| c.max_body_bytes = 1024).await {
        let mut c = app.client();
        let big = "x".repeat(4096);
        let r = c.call("auth/login", &[("email", &big), ("password", "p")]).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM login_attempts").await, 0);
    }
}

#[tokio::test]
async fn health_check_reports_the_database() {
    for app in apps().await {
        let r = app.client().get("/healthz").await;
        assert_eq!(r.status, StatusCode::OK, "{}", app.backend);
        assert_eq!(r.json()["database"], "ok");
        app.db.pool.close().await;
        let r = app.client().get("/healthz").await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}: a closed pool is reported", app.backend);
        assert_eq!(r.json()["database"], "unreachable");
    }
}

#[tokio::test]
async fn readiness_says_ready_then_draining_and_probes_make_no_session() {
    for app in apps().await {
        let r = app.client().get("/readyz").await;
        assert_eq!(r.status, StatusCode::OK, "{}", app.backend);
        assert_eq!(r.json()["status"], "ready");
        assert!(r.header("set-cookie").is_none(), "a probe makes no session");
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
        // Asked to stop: not ready, while other requests are still served.
        app.draining.start();
        let r = app.client().get("/readyz").await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", app.backend);
        assert_eq!(r.json()["status"], "draining");
        assert_eq!(app.client().get("/sign-in").await.status, StatusCode::OK, "{}: still serving", app.backend);
        assert_eq!(app.client().get("/healthz").await.status, StatusCode::OK, "{}: alive while draining", app.backend);
    }
}

#[tokio::test]
async fn each_role_gets_its_own_home_page_and_unknown_pages_are_404() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "admin@riverside.example", Role::Admin).await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;

        let anonymous = app.client().get("/").await;
        assert_eq!(anonymous.status, StatusCode::OK);
        assert!(anonymous.body.contains("href=\"/sign-in\""), "{}", app.backend);

        let mut worker = app.client();
        worker.sign_in("sam@riverside.example", PASSWORD).await;
        let home = worker.get("/").await;
        assert!(home.text().contains("Hello, Sam"), "{}: {}", app.backend, home.body);
        assert!(home.body.contains("Outreach worker"));
        assert!(!home.body.contains("href=\"/staff\""), "workers have no staff link");
        let staff = worker.get("/staff").await;
        assert_eq!(staff.status, StatusCode::FORBIDDEN, "{}", app.backend);
        assert!(staff.body.contains("You cannot see this page"));

        let mut admin = app.client();
        admin.sign_in("admin@riverside.example", PASSWORD).await;
        let home = admin.get("/").await;
        assert!(home.body.contains("href=\"/staff\""), "{}: admins see the staff link", app.backend);
        let staff = admin.get("/staff").await;
        assert_eq!(staff.status, StatusCode::OK);
        assert!(staff.body.contains("sam@riverside.example"));

        let missing = app.client().get("/no-such-page").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{}", app.backend);
        assert!(missing.body.contains("Page not found"));
    }
}

#[tokio::test]
async fn sign_in_works_as_a_plain_html_form_without_javascript() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let form_post = |c: &Client, password: &str| {
            c.request(Method::POST, "/api/auth/login")
                .header(header::ORIGIN, ORIGIN)
                .header(header::ACCEPT, "text/html,application/xhtml+xml")
                .header(header::REFERER, format!("{ORIGIN}/sign-in"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(encode(&[("email", "sam@riverside.example"), ("password", password)])))
                .unwrap()
        };
        let mut c = app.client();
        let wrong = c.send(form_post(&c, "nope")).await;
        assert_eq!(wrong.status, StatusCode::FOUND, "{}: back to the form", app.backend);
        let location = wrong.header("location").unwrap().to_string();
        assert!(location.starts_with(&format!("{ORIGIN}/sign-in?")), "{location}");
        let page = c.get(location.trim_start_matches(ORIGIN)).await;
        assert!(page.text().contains("There is a problem"), "{}: {}", app.backend, page.body);
        assert!(page.text().contains("The email address or password is incorrect."));
        assert!(page.text().contains("href=\"#email\""), "the summary links to the field");

        let right = c.send(form_post(&c, PASSWORD)).await;
        assert_eq!(right.status, StatusCode::FOUND);
        assert_eq!(right.header("location"), Some("/"));
        assert!(c.get("/").await.text().contains("Hello, Sam"), "{}", app.backend);
    }
}

#[tokio::test]
async fn demo_data_is_seeded_once_into_an_empty_database_and_never_in_production() {
    use app::server::seed::{seed_demo_if_empty, DEMO_ACCOUNTS, DEMO_PASSWORD};
    for app in apps().await {
        let mut config = app.config.clone();
        config.demo_data = true;
        config.production = true;
        assert!(!seed_demo_if_empty(&app.db, &config).await.unwrap(), "never in production");
        config.production = false;
        assert!(seed_demo_if_empty(&app.db, &config).await.unwrap());
        assert!(!seed_demo_if_empty(&app.db, &config).await.unwrap(), "only into an empty database");
        assert_eq!(app.count("SELECT COUNT(*) FROM users").await, DEMO_ACCOUNTS.len() as i64);
        for (email, _, _, _) in DEMO_ACCOUNTS {
            let mut c = app.client();
            assert_eq!(c.sign_in(email, DEMO_PASSWORD).await.status, StatusCode::OK, "{}: {email}", app.backend);
        }
    }
}

/// Residents get plain pages without the app's code, signed in or not; staff get the app.
#[tokio::test]
async fn residents_get_pages_without_the_apps_code_and_staff_get_the_app() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "alex@resident.example", Role::Resident).await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        app.user(&org, "dee@riverside.example", Role::GroupOrganiser).await;

        let mut visitor = app.client();
        for path in ["/consultations", "/volunteer", "/register"] {
            let r = visitor.get(path).await;
            assert_eq!(r.status, StatusCode::OK, "{}: {path}", app.backend);
            assert!(!carries_app(&r), "{}: {path} for a visitor", app.backend);
        }
        // Nobody signed in, not on a staff device: plain pages everywhere.
        for path in ["/", "/sign-in", "/outreach"] {
            assert!(!carries_app(&visitor.get(path).await), "{}: {path} for a visitor", app.backend);
        }

        // Signing in from the app: a resident's page is told to load the home page afresh (so the
        // app steps aside), where staff carry on in the app, which follows the redirect itself.
        let mut alex = app.client();
        let r = alex.sign_in("alex@resident.example", PASSWORD).await;
        assert_eq!((r.status, r.body.as_str(), r.header("serverfnredirect")), (StatusCode::OK, "true", None), "{}", app.backend);
        let r = app.client().sign_in("sam@riverside.example", PASSWORD).await;
        assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "false"), "{}", app.backend);
        assert!(r.header("serverfnredirect").is_some(), "{}", app.backend);
        // Without JavaScript, the browser follows the redirect to the home page.
        let mut plain = app.client();
        let body = encode(&[("email", "alex@resident.example"), ("password", PASSWORD)]);
        let req = plain
            .request(Method::POST, "/api/auth/login")
            .header(header::ORIGIN, ORIGIN)
            .header(header::ACCEPT, "text/html")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let r = plain.send(req).await;
        assert_eq!((r.status, r.header("location")), (StatusCode::FOUND, Some("/")), "{}", app.backend);

        for path in ["/", "/consultations", "/volunteer", "/volunteer/profile", "/my-data", "/account", "/no-such-page"] {
            let r = alex.get(path).await;
            assert!(r.status.is_success() || r.status == StatusCode::NOT_FOUND, "{}: {path} {}", app.backend, r.status);
            assert!(!carries_app(&r), "{}: {path} for a resident", app.backend);
            assert!(r.body.contains("Sign out"), "{}: {path} is the signed-in page", app.backend);
        }
        // Their forms post without the app, and the page they come back to says what happened.
        let body = encode(&[("contact_about_issue", "yes")]);
        let req = alex
            .request(Method::POST, "/api/me/consents/save")
            .header(header::ORIGIN, ORIGIN)
            .header(header::ACCEPT, "text/html")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let r = alex.send(req).await;
        assert_eq!((r.status, r.header("location")), (StatusCode::FOUND, Some("/my-data?saved=1")), "{}", app.backend);
        assert!(alex.get("/my-data?saved=1").await.body.contains("Your choices are saved"), "{}", app.backend);

        for who in ["sam@riverside.example", "dee@riverside.example"] {
            let mut staff = app.client();
            assert_eq!(staff.sign_in(who, PASSWORD).await.status, StatusCode::OK, "{}", app.backend);
            for path in ["/", "/consultations", "/volunteer", "/account"] {
                assert!(carries_app(&staff.get(path).await), "{}: {path} for {who}", app.backend);
            }
            // Signed in, a staff member's device is marked: signed out (or their session over),
            // it keeps the app where residents do not go, for the sign-in page and outreach.
            assert!(staff.device.is_some(), "{}", app.backend);
            staff.call("auth/logout", &[]).await;
            assert_eq!(staff.me().await, serde_json::Value::Null, "{}", app.backend);
            for path in ["/sign-in", "/outreach", "/"] {
                assert!(carries_app(&staff.get(path).await), "{}: {path} on {who}'s device", app.backend);
            }
            assert!(!carries_app(&staff.get("/consultations").await), "{}: where residents go", app.backend);
        }
        assert!(alex.device.is_none(), "{}: a resident's phone is not marked", app.backend);
    }
}

/// Found by the hostile-input test (hostile.rs): each of these was a 500 on PostgreSQL, which
/// cannot keep a null character, or on SQLite, which refuses a LIKE pattern past 50,000 bytes.
#[tokio::test]
async fn a_null_character_or_an_endless_search_is_refused_with_a_4xx_naming_the_field() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "admin@riverside.example", Role::Admin).await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let lists = app.lists(&org).await;
        let mut admin = app.client();
        admin.sign_in("admin@riverside.example", PASSWORD).await;
        // In a form.
        let r = admin.call("consultations/get", &[("id", "\u{0}\u{1}")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
        assert_eq!(r.json()["Invalid"][0]["field"], "form");
        assert!(r.body.contains("null character"), "{}", r.body);
        // In an address, however often encoded (a page's router decodes its parameters again).
        for path in ["/privacy/residents/%00", "/privacy/residents/%2500%250d", "/consultations?area=%00"] {
            let r = admin.send(admin.request(Method::GET, path).body(Body::empty()).unwrap()).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}: {path}", app.backend);
        }
        // A search as long as a book.
        let r = admin.call("privacy/home", &[("query", &"é".repeat(75_000))]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
        assert_eq!(r.json()["Invalid"][0]["field"], "query");
        assert_eq!(admin.call("privacy/home", &[("query", &"e".repeat(200))]).await.status, StatusCode::OK);

        // From a tablet: the record with a null character is refused alone; the rest are kept.
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        let mut bad = doorstep(&lists.area);
        bad["notes"] = "Spoke about\u{0} the park".into();
        let (good_id, bad_id) = (new_id(), new_id());
        let r = sam.push(vec![item(&good_id, "interaction", doorstep(&lists.area)), item(&bad_id, "interaction", bad)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let results = r.json()["results"].clone();
        assert_eq!(results[0]["outcome"], "stored", "{}: {results}", app.backend);
        assert_eq!((results[1]["outcome"].as_str(), results[1]["field"].as_str()), (Some("rejected"), Some("notes")), "{results}");
        assert_eq!(app.count("SELECT COUNT(*) FROM interactions").await, 1);
        // A device id with a control character in it is no device's.
        let r = sam.push_body(serde_json::json!({ "batch": { "device_id": "tablet\u{0}", "items": [] } })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, r.body);
        assert_eq!(r.json()["Invalid"][0]["field"], "device_id");
    }
}

/// Found by the 100,000-case hostile-input run: a sign-in with a megabyte-long address was kept
/// as a failed attempt, and PostgreSQL's index on the attempts could not hold it (a 500).
#[tokio::test]
async fn signing_in_with_an_address_longer_than_any_account_is_refused_naming_the_field() {
    for app in apps().await {
        let org = app.organisation("Riverside").await;
        app.user(&org, "sam@riverside.example", Role::OutreachWorker).await;
        let mut c = app.client();
        // Emoji compress poorly enough that PostgreSQL cannot fit the key in an index page.
        let long = format!("{}@riverside.example", "😀".repeat(75_000));
        let r = c.call("auth/login", &[("email", &long), ("password", "wrong")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", app.backend, &r.body[..r.body.len().min(300)]);
        assert_eq!(r.json()["Invalid"][0]["field"], "email", "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM login_attempts").await, 0, "{}", app.backend);
        assert_eq!(c.sign_in("sam@riverside.example", PASSWORD).await.status, StatusCode::OK, "{}", app.backend);
    }
}
