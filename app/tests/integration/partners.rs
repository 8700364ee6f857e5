//! Partner groups: an admin invites a community group; its organiser accepts from the email,
//! posts an opportunity that the host's residents see, and invites a co-organiser. Mail goes
//! through a real SMTP server on loopback.

use crate::common::*;
use app::domain::Role;
use http::StatusCode;

fn opportunity(lists: &Lists) -> Vec<(&'static str, String)> {
    vec![
        ("title", "Saturday litter pick".into()),
        ("description", "Gloves and bags provided.".into()),
        ("interests[]", lists.interest.clone()),
        ("areas[]", lists.area.clone()),
        ("skills", String::new()),
        ("place", String::new()),
        ("frequency", "regular".into()),
        ("on_date", String::new()),
        ("hours_per_week", String::new()),
        ("minimum_age", String::new()),
        ("capacity", String::new()),
        ("accessibility", String::new()),
        ("contact", String::new()),
        ("publish", "yes".into()),
    ]
}

#[tokio::test]
async fn an_admin_invites_a_group_whose_organiser_accepts_from_the_email_posts_an_opportunity_and_invites_a_co_organiser() {
    for app in apps().await {
        let council = app.organisation("Riverside").await;
        let lists = app.lists(&council).await;
        app.user(&council, "admin@riverside.example", Role::Admin).await;
        app.user(&council, "sam@riverside.example", Role::OutreachWorker).await;
        let mut admin = app.client();
        admin.sign_in("admin@riverside.example", PASSWORD).await;

        // Nothing given: each field named.
        let r = admin.call("partners/invite", &[("group_name", " "), ("display_name", ""), ("email", "not-an-address")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let fields: Vec<String> =
            r.json()["Invalid"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
        assert_eq!(fields, ["group_name", "display_name", "email"], "{}", app.backend);
        // Only administrators invite groups.
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        let form = [("group_name", "Northside Garden Club"), ("display_name", "Dee Okafor"), ("email", "Dee@Garden.example")];
        assert_eq!(sam.call("partners/invite", &form).await.status, StatusCode::FORBIDDEN, "{}", app.backend);

        let r = admin.call("partners/invite", &form).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let (group, kind, host): (String, String, Option<String>) =
            sqlx::query_as("SELECT id, kind, host_id FROM organisations WHERE name = 'Northside Garden Club'")
                .fetch_one(&app.db)
                .await
                .unwrap();
        assert_eq!((kind.as_str(), host.as_deref()), ("community_group", Some(council.as_str())), "{}", app.backend);
        assert_eq!(
            admin.call("partners/invite", &form).await.json()["Invalid"][0]["field"],
            "group_name",
            "{}: the same group twice",
            app.backend
        );

        // Dee follows the link in the email.
        let path = app.emailed_link("dee@garden.example", "/invite/").await;
        let mail = app.smtp.to("dee@garden.example").pop().unwrap();
        assert_eq!(mail.header("Subject").as_deref(), Some("Riverside has invited Northside Garden Club to Mobilise"), "{}", app.backend);
        let token = path.strip_prefix("/invite/").unwrap().to_string();
        let mut dee = app.client();
        assert_eq!(dee.call("invitations/check", &[("token", &token)]).await.json()["organisation_name"], "Northside Garden Club");
        let ok = dee
            .call(
                "invitations/accept",
                &[("token", &token), ("password", "plum tractor meadow"), ("confirm_password", "plum tractor meadow")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}: {}", app.backend, ok.body);
        assert_eq!(dee.me().await["role"], "group_organiser", "{}", app.backend);

        // Dee posts an opportunity in the council's areas and interests; residents there see it.
        let form = opportunity(&lists);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let posted = dee.call_form("volunteer/manage/create", &pairs).await;
        assert_eq!(posted.status, StatusCode::OK, "{}: {}", app.backend, posted.body);
        let network: String = sqlx::query_scalar("SELECT network_id FROM opportunities WHERE organisation_id = $1")
            .bind(&group)
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(network, council, "{}: posted to the host's residents", app.backend);

        let groups = admin.call("partners/list", &[]).await.json();
        let listed = &groups["Host"]["groups"][0];
        assert_eq!(
            (listed["name"].as_str(), listed["open_opportunities"].as_i64()),
            (Some("Northside Garden Club"), Some(1)),
            "{}: {groups}",
            app.backend
        );
        assert_eq!(listed["organisers"][0]["invited"], false, "{}", app.backend);

        // Dee invites a co-organiser, who joins the same group.
        let r = dee.call("partners/co-organiser", &[("display_name", "Lou Park"), ("email", "lou@garden.example")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert!(app.emailed_link("lou@garden.example", "/invite/").await.starts_with("/invite/"));
        let (org, role): (String, String) =
            sqlx::query_as("SELECT organisation_id, role FROM users WHERE email = 'lou@garden.example'").fetch_one(&app.db).await.unwrap();
        assert_eq!((org.as_str(), role.as_str()), (group.as_str(), "group_organiser"), "{}", app.backend);
        let own = dee.call("partners/list", &[]).await.json();
        assert_eq!(own["Group"]["organisers"].as_array().unwrap().len(), 2, "{}: {own}", app.backend);
        assert_eq!(
            dee.call("partners/invite", &[("group_name", "Another"), ("display_name", "X Y"), ("email", "x@y.example")]).await.status,
            StatusCode::FORBIDDEN
        );

        // An address that already has an account: the same answer, nothing made, its holder told.
        let r = admin
            .call("partners/invite", &[("group_name", "Quiet Readers"), ("display_name", "Sam Again"), ("email", "sam@riverside.example")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM organisations WHERE name = 'Quiet Readers'").await, 0, "{}", app.backend);
        app.deliver().await;
        assert!(
            app.smtp
                .to("sam@riverside.example")
                .iter()
                .any(|m| m.header("Subject").as_deref() == Some("You already have a Mobilise account")),
            "{}",
            app.backend
        );
    }
}

#[tokio::test]
async fn a_group_that_asks_to_join_is_approved_or_declined_and_told_either_way() {
    for app in apps().await {
        let council = app.organisation("Riverside").await;
        let lists = app.lists(&council).await;
        app.user(&council, "admin@riverside.example", Role::Admin).await;
        let mut admin = app.client();
        admin.sign_in("admin@riverside.example", PASSWORD).await;

        // Anyone may ask, without signing in; bad input names each field and keeps nothing.
        let mut visitor = app.client();
        let r = visitor.call("partners/request", &[("group_name", ""), ("display_name", ""), ("email", "nope"), ("about", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let fields: Vec<String> =
            r.json()["Invalid"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
        assert_eq!(fields, ["group_name", "display_name", "email", "about"], "{}", app.backend);
        let long = "x".repeat(1001);
        let r = visitor
            .call(
                "partners/request",
                &[("group_name", "Tidy Streets"), ("display_name", "Ola Ade"), ("email", "ola@streets.example"), ("about", &long)],
            )
            .await;
        assert_eq!(r.json()["Invalid"][0]["field"], "about", "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM partner_requests").await, 0);

        let ask = [
            ("group_name", "Tidy Streets\r\nBcc: x@evil.example"),
            ("display_name", "Ola Ade"),
            ("email", "Ola@Streets.example"),
            ("about", "We pick litter\nevery Saturday."),
        ];
        let r = visitor.call("partners/request", &ask).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}: {} {}", app.backend, r.status, r.body);
        // Asking twice from the same address leaves one request, with the same answer.
        let r = visitor.call("partners/request", &ask).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{}", app.backend);
        let second = [
            ("group_name", "Mill Park Friends"),
            ("display_name", "Kit Lee"),
            ("email", "kit@friends.example"),
            ("about", "We look after the park."),
        ];
        visitor.call("partners/request", &second).await;
        assert_eq!(app.count("SELECT COUNT(*) FROM partner_requests WHERE status = 'waiting'").await, 2, "{}", app.backend);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM organisations WHERE kind = 'community_group'").await,
            0,
            "nothing is made before a decision"
        );

        // The admin sees both, the name on one line.
        let view = admin.call("partners/list", &[]).await.json();
        let requests = view["Host"]["requests"].as_array().unwrap().clone();
        assert_eq!(requests.len(), 2, "{}: {view}", app.backend);
        let find = |name: &str| requests.iter().find(|r| r["group_name"].as_str().is_some_and(|n| n.starts_with(name))).unwrap().clone();
        let (tidy, friends) = (find("Tidy"), find("Mill Park"));
        assert_eq!(tidy["group_name"], "Tidy Streets Bcc: x@evil.example");
        assert_eq!(tidy["organiser_email"], "ola@streets.example");
        assert_eq!(tidy["about"], "We pick litter\nevery Saturday.");
        let (tidy, friends) = (tidy["id"].as_str().unwrap().to_string(), friends["id"].as_str().unwrap().to_string());
        // Only the host's administrators decide.
        assert_eq!(
            visitor.call("partners/requests/decide", &[("request_id", &tidy), ("decision", "approve"), ("reason", "")]).await.status,
            StatusCode::UNAUTHORIZED
        );
        let other = app.organisation("Elsewhere").await;
        // Made after the site's own organisation, which stays the one groups ask to join.
        sqlx::query("UPDATE organisations SET created_at = 1800000000 WHERE id = $1").bind(&other).execute(&app.db).await.unwrap();
        app.user(&other, "admin@elsewhere.example", Role::Admin).await;
        let mut stranger = app.client();
        stranger.sign_in("admin@elsewhere.example", PASSWORD).await;
        assert_eq!(
            stranger.call("partners/requests/decide", &[("request_id", &tidy), ("decision", "approve"), ("reason", "")]).await.status,
            StatusCode::NOT_FOUND,
            "{}",
            app.backend
        );
        assert_eq!(
            admin.call("partners/requests/decide", &[("request_id", &tidy), ("decision", "maybe"), ("reason", "")]).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );

        // Approved: the group, the partnership and the organiser's account; the email's link
        // lets the organiser in, and they can post for the host's residents.
        let r = admin.call("partners/requests/decide", &[("request_id", &tidy), ("decision", "approve"), ("reason", "")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let again = admin.call("partners/requests/decide", &[("request_id", &tidy), ("decision", "decline"), ("reason", "")]).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}: decided once", app.backend);
        let host: Option<String> =
            sqlx::query_scalar("SELECT host_id FROM organisations WHERE kind = 'community_group'").fetch_one(&app.db).await.unwrap();
        assert_eq!(host.as_deref(), Some(council.as_str()), "{}", app.backend);
        let path = app.emailed_link("ola@streets.example", "/invite/").await;
        let mail = app.smtp.to("ola@streets.example").pop().unwrap();
        assert_eq!(
            mail.header("Subject").as_deref(),
            Some("Riverside has approved Tidy Streets Bcc: x@evil.example on Mobilise"),
            "{}",
            app.backend
        );
        assert!(mail.header("Bcc").is_none());
        let token = path.strip_prefix("/invite/").unwrap().to_string();
        let mut ola = app.client();
        let ok = ola
            .call(
                "invitations/accept",
                &[("token", &token), ("password", "plum tractor meadow"), ("confirm_password", "plum tractor meadow")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}: {}", app.backend, ok.body);
        assert_eq!(ola.me().await["role"], "group_organiser", "{}", app.backend);
        let form = opportunity(&lists);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(ola.call_form("volunteer/manage/create", &pairs).await.status, StatusCode::OK, "{}", app.backend);

        // Declined: nothing is made, and the group hears why.
        let r = admin
            .call(
                "partners/requests/decide",
                &[("request_id", &friends), ("decision", "decline"), ("reason", "We only partner with groups in our wards.")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        app.deliver().await;
        let told = app.smtp.to("kit@friends.example");
        assert_eq!(told.len(), 1, "{}", app.backend);
        assert!(told[0].text().contains("We only partner with groups in our wards."), "{}", told[0].text());
        assert_eq!(app.count("SELECT COUNT(*) FROM organisations WHERE kind = 'community_group'").await, 1, "{}", app.backend);
        assert_eq!(admin.call("partners/list", &[]).await.json()["Host"]["requests"].as_array().unwrap().len(), 0);
        // A name that is a partner already is refused when asked.
        let r = visitor
            .call(
                "partners/request",
                &[
                    ("group_name", "tidy streets bcc: X@evil.example"),
                    ("display_name", "Bo"),
                    ("email", "bo@example.org"),
                    ("about", "Also litter."),
                ],
            )
            .await;
        assert_eq!(r.json()["Invalid"][0]["field"], "group_name", "{}: {} {}", app.backend, r.status, r.body);
        // One network address can ask only a few times an hour.
        let mut last = StatusCode::OK;
        for i in 0..6 {
            let email = format!("flood{i}@example.org");
            last = visitor
                .call(
                    "partners/request",
                    &[("group_name", &format!("Flood {i}")), ("display_name", "Flo"), ("email", &email), ("about", "x")],
                )
                .await
                .status;
        }
        assert_eq!(last, StatusCode::TOO_MANY_REQUESTS, "{}", app.backend);
    }
}

#[tokio::test]
async fn two_invitations_of_one_group_name_at_the_same_moment_make_one_group() {
    use app::server::accounts::{invite_group, GroupInvite, Invited};
    for app in apps().await {
        let org = app.organisation("Riverside Council").await;
        let admin = app.user(&org, "priya@riverside.example", Role::Admin).await;
        let invite = |group_name: &'static str, email: &'static str| GroupInvite {
            host_id: &org,
            host_name: "Riverside Council",
            group_name,
            organiser_email: email,
            organiser_name: "Dee Campbell",
            invited_by: &admin,
        };
        // Both passed the page's check before either was made: the database keeps one.
        let (a, b) = tokio::join!(
            invite_group(&app.db, ORIGIN, invite("Mill Gardeners", "dee@mill.example"), 1_800_000_000),
            invite_group(&app.db, ORIGIN, invite("mill gardeners", "kai@mill.example"), 1_800_000_000),
        );
        let made = [a.unwrap(), b.unwrap()].into_iter().filter(|r| matches!(r, Some(Invited::Created { .. }))).count();
        assert_eq!(made, 1, "{}", app.backend);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM organisations WHERE host_id = '{org}'")).await, 1, "{}", app.backend);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM users WHERE email LIKE '%@mill.example'").await,
            1,
            "{}: nothing of the other was kept",
            app.backend
        );
        // Another host may have a group of that name.
        let other = app.organisation("Elsewhere Council").await;
        let theirs = GroupInvite { host_id: &other, host_name: "Elsewhere Council", ..invite("Mill Gardeners", "lee@mill.example") };
        assert!(
            matches!(invite_group(&app.db, ORIGIN, theirs, 1_800_000_000).await.unwrap(), Some(Invited::Created { .. })),
            "{}",
            app.backend
        );
    }
}

#[tokio::test]
async fn answered_requests_to_join_keep_who_asked_only_for_the_retention_period() {
    use app::domain::calendar::parse_date;
    use app::server::repo::privacy::run_retention;
    for app in apps().await {
        let council = app.organisation("Riverside").await;
        app.user(&council, "admin@riverside.example", Role::Admin).await;
        let mut admin = app.client();
        admin.sign_in("admin@riverside.example", PASSWORD).await;
        let mut visitor = app.client();
        for (group, name, email) in [
            ("Tidy Streets", "Ola Ade", "ola@streets.example"),
            ("Mill Park Friends", "Kit Lee", "kit@friends.example"),
            ("Book Swap", "Bo Chan", "bo@books.example"),
        ] {
            let r = visitor
                .call("partners/request", &[("group_name", group), ("display_name", name), ("email", email), ("about", "About us")])
                .await;
            assert!(r.status.is_success() || r.status.is_redirection(), "{}: {}", app.backend, r.body);
        }
        let id = |group: &str| {
            let pool = app.db.pool.clone();
            let group = group.to_string();
            async move {
                sqlx::query_scalar::<_, String>("SELECT id FROM partner_requests WHERE group_name = $1")
                    .bind(group)
                    .fetch_one(&pool)
                    .await
                    .unwrap()
            }
        };
        let (tidy, friends) = (id("Tidy Streets").await, id("Mill Park Friends").await);
        let r = admin.call("partners/requests/decide", &[("request_id", &tidy), ("decision", "approve"), ("reason", "")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let r = admin
            .call(
                "partners/requests/decide",
                &[("request_id", &friends), ("decision", "decline"), ("reason", "Kit Lee's group is outside our area")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);

        // A year and more after the answers: the two answered requests keep nothing about who
        // asked; the waiting one is untouched; a dry run said so first.
        let today = parse_date("2029-01-01").unwrap();
        let counted =
            |c: &[app::server::repo::privacy::RetentionCount]| c.iter().find(|c| c.class.as_str() == "partner_requests").unwrap().records;
        assert_eq!(counted(&run_retention(&app.db, &council, today, true, None, "").await.unwrap()), 2, "{}", app.backend);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM partner_requests WHERE organiser_email <> ''").await,
            3,
            "{}: a dry run changes nothing",
            app.backend
        );
        assert_eq!(counted(&run_retention(&app.db, &council, today, false, None, "").await.unwrap()), 2, "{}", app.backend);
        let left: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
            "SELECT group_name, status, organiser_name, organiser_email, about, reason FROM partner_requests ORDER BY group_name",
        )
        .fetch_all(&app.db)
        .await
        .unwrap();
        let blank = |g: &str, s: &str| (g.to_string(), s.to_string(), String::new(), String::new(), String::new(), String::new());
        assert_eq!(
            left,
            [
                (
                    "Book Swap".to_string(),
                    "waiting".to_string(),
                    "Bo Chan".to_string(),
                    "bo@books.example".to_string(),
                    "About us".to_string(),
                    String::new()
                ),
                blank("Mill Park Friends", "declined"),
                blank("Tidy Streets", "approved"),
            ],
            "{}",
            app.backend
        );
        // The approved group's organiser keeps their account, and the waiting request can still be answered.
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE email = 'ola@streets.example'").await, 1, "{}", app.backend);
        let waiting = id("Book Swap").await;
        let r = admin.call("partners/requests/decide", &[("request_id", &waiting), ("decision", "decline"), ("reason", "")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
    }
}
