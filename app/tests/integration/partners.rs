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
        let fields: Vec<String> = r.json()["Invalid"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
        assert_eq!(fields, ["group_name", "display_name", "email"], "{}", app.backend);
        // Only administrators invite groups.
        let mut sam = app.client();
        sam.sign_in("sam@riverside.example", PASSWORD).await;
        let form = [("group_name", "Northside Garden Club"), ("display_name", "Dee Okafor"), ("email", "Dee@Garden.example")];
        assert_eq!(sam.call("partners/invite", &form).await.status, StatusCode::FORBIDDEN, "{}", app.backend);

        let r = admin.call("partners/invite", &form).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        let (group, kind, host): (String, String, Option<String>) =
            sqlx::query_as("SELECT id, kind, host_id FROM organisations WHERE name = 'Northside Garden Club'").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!((kind.as_str(), host.as_deref()), ("community_group", Some(council.as_str())), "{}", app.backend);
        assert_eq!(admin.call("partners/invite", &form).await.json()["Invalid"][0]["field"], "group_name", "{}: the same group twice", app.backend);

        // Dee follows the link in the email.
        let path = app.emailed_link("dee@garden.example", "/invite/").await;
        let mail = app.smtp.to("dee@garden.example").pop().unwrap();
        assert_eq!(mail.header("Subject").as_deref(), Some("Riverside has invited Northside Garden Club to Mobilise"), "{}", app.backend);
        let token = path.strip_prefix("/invite/").unwrap().to_string();
        let mut dee = app.client();
        assert_eq!(dee.call("invitations/check", &[("token", &token)]).await.json()["organisation_name"], "Northside Garden Club");
        let ok = dee.call("invitations/accept", &[("token", &token), ("password", "plum tractor meadow"), ("confirm_password", "plum tractor meadow")]).await;
        assert_eq!(ok.status, StatusCode::OK, "{}: {}", app.backend, ok.body);
        assert_eq!(dee.me().await["role"], "group_organiser", "{}", app.backend);

        // Dee posts an opportunity in the council's areas and interests; residents there see it.
        let form = opportunity(&lists);
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let posted = dee.call("volunteer/manage/create", &pairs).await;
        assert_eq!(posted.status, StatusCode::OK, "{}: {}", app.backend, posted.body);
        let network: String = sqlx::query_scalar("SELECT network_id FROM opportunities WHERE organisation_id = $1").bind(&group).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(network, council, "{}: posted to the host's residents", app.backend);

        let groups = admin.call("partners/list", &[]).await.json();
        let listed = &groups["Host"]["groups"][0];
        assert_eq!((listed["name"].as_str(), listed["open_opportunities"].as_i64()), (Some("Northside Garden Club"), Some(1)), "{}: {groups}", app.backend);
        assert_eq!(listed["organisers"][0]["invited"], false, "{}", app.backend);

        // Dee invites a co-organiser, who joins the same group.
        let r = dee.call("partners/co-organiser", &[("display_name", "Lou Park"), ("email", "lou@garden.example")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", app.backend, r.body);
        assert!(app.emailed_link("lou@garden.example", "/invite/").await.starts_with("/invite/"));
        let (org, role): (String, String) = sqlx::query_as("SELECT organisation_id, role FROM users WHERE email = 'lou@garden.example'").fetch_one(&app.db.pool).await.unwrap();
        assert_eq!((org.as_str(), role.as_str()), (group.as_str(), "group_organiser"), "{}", app.backend);
        let own = dee.call("partners/list", &[]).await.json();
        assert_eq!(own["Group"]["organisers"].as_array().unwrap().len(), 2, "{}: {own}", app.backend);
        assert_eq!(dee.call("partners/invite", &[("group_name", "Another"), ("display_name", "X Y"), ("email", "x@y.example")]).await.status, StatusCode::FORBIDDEN);

        // An address that already has an account: the same answer, nothing made, its holder told.
        let r = admin.call("partners/invite", &[("group_name", "Quiet Readers"), ("display_name", "Sam Again"), ("email", "sam@riverside.example")]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", app.backend);
        assert_eq!(app.count("SELECT COUNT(*) FROM organisations WHERE name = 'Quiet Readers'").await, 0, "{}", app.backend);
        app.deliver().await;
        assert!(app.smtp.to("sam@riverside.example").iter().any(|m| m.header("Subject").as_deref() == Some("You already have a Mobilise account")), "{}", app.backend);
    }
}
