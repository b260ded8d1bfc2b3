//! The dropped-connection fault, seen on the wire: the status line and headers, then nothing
//! or half of the real body, then the connection closes without ending the chunked body.

mod common;

use common::{analyst, COMMITS};
use fake_bitbucket::{creds, DropAt, DropNext, DropPath, FailNext, FakeConfig, FakeServer, Faults};
use serde_json::Value;

#[test]
fn dropped_connections_cut_the_answer_after_headers_or_half_the_body() {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let full = analyst(&srv, COMMITS);
    assert!(full.complete && full.status() == 200);
    serde_json::from_slice::<Value>(&full.body).unwrap();

    srv.set_faults(Faults {
        drop_next: Some(DropNext {
            count: 2,
            at: DropAt::Body,
            after: 1,
        }),
        ..Faults::default()
    });
    // `after: 1` lets one request through first.
    assert!(analyst(&srv, "/user").complete);
    for _ in 0..2 {
        let cut = analyst(&srv, COMMITS);
        // The status line and headers as usual, then half of the real body, then nothing.
        assert_eq!(cut.status(), 200);
        assert!(cut.header("content-type").unwrap().starts_with("application/json"));
        assert!(!cut.complete, "the chunked body must not be terminated");
        assert_eq!(cut.body.len(), full.body.len() / 2);
        assert_eq!(cut.body[..], full.body[..cut.body.len()]);
        assert!(serde_json::from_slice::<Value>(&cut.body).is_err());
    }
    // The count is used up: the next answer is whole again.
    let again = analyst(&srv, COMMITS);
    assert!(again.complete);
    assert_eq!(again.body, full.body);
    assert_eq!(srv.switches().faults.drop_next, None);

    srv.set_faults(Faults {
        drop_path: Some(DropPath {
            contains: "/commits".into(),
            at: DropAt::Headers,
        }),
        ..Faults::default()
    });
    for _ in 0..2 {
        let cut = analyst(&srv, COMMITS);
        assert_eq!(cut.status(), 200);
        assert!(!cut.complete && cut.body.is_empty());
    }
    assert!(analyst(&srv, "/repositories/acme/core-api").complete);

    // The log says which answers were cut.
    let log = srv.requests();
    let dropped: Vec<bool> = log.iter().map(|r| r.dropped).collect();
    assert_eq!(dropped, [false, false, true, true, false, true, true, false]);

    // A client sees a broken connection, not an answer.
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let url = format!("{}{COMMITS}", srv.base_url());
    let outcome = agent
        .get(&url)
        .header("Authorization", &creds::analyst())
        .call()
        .and_then(|mut r| r.body_mut().read_to_string());
    assert!(outcome.is_err(), "{outcome:?}");

    // fail_next still comes first; a dropped error answer is cut too.
    srv.set_faults(Faults {
        fail_next: Some(FailNext { count: 1, status: 503 }),
        drop_next: Some(DropNext {
            count: 1,
            at: DropAt::Body,
            after: 0,
        }),
        ..Faults::default()
    });
    let failed = analyst(&srv, COMMITS);
    assert_eq!((failed.status(), failed.complete), (503, true));
    assert!(!analyst(&srv, COMMITS).complete);
    assert!(analyst(&srv, COMMITS).complete);
}

#[test]
fn drop_faults_through_the_control_endpoint() {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let post = |body: &str| {
        let mut r = agent
            .post(&format!("{}/_fake/config", srv.web_root()))
            .header("content-type", "application/json")
            .send(body)
            .unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    };
    let (s, body) = post(r#"{"drop_next": {"count": 1, "at": "headers"}}"#);
    assert_eq!(s, 200, "{body}");
    let cfg: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(cfg["drop_next"], serde_json::json!({"count": 1, "at": "headers", "after": 0}));
    let cut = analyst(&srv, "/user");
    assert!(!cut.complete && cut.body.is_empty());
    assert!(analyst(&srv, "/user").complete);
    assert_eq!(post(r#"{"drop_path": {"contains": "/user"}}"#).0, 200);
    assert_eq!(srv.switches().faults.drop_path.map(|d| d.at), Some(DropAt::Body));
    assert!(!analyst(&srv, "/user").complete);
    assert_eq!(post(r#"{"drop_path": null}"#).0, 200);
    assert!(analyst(&srv, "/user").complete);
    assert_eq!(post(r#"{"drop_next": {"at": "never"}}"#).0, 400);
    let log: Value = serde_json::from_str(
        &agent
            .get(&format!("{}/_fake/requests", srv.web_root()))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap(),
    )
    .unwrap();
    let dropped: Vec<bool> = log.as_array().unwrap().iter().map(|e| e["dropped"].as_bool().unwrap()).collect();
    assert_eq!(dropped, [true, false, true, false]);
}
