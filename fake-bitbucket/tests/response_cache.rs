//! The rendered-response cache: the same bytes as rendering, invalidated by switches, never
//! skipping faults, rate limits, authentication or the log.

mod common;

use std::time::Duration;

use common::{analyst, raw_get, Wire, COMMITS};
use fake_bitbucket::{creds, FailNext, FakeConfig, FakeServer, Faults};
use serde_json::Value;

#[test]
fn cached_answers_are_the_rendered_bytes_and_skip_nothing_else() {
    let srv = FakeServer::start(FakeConfig::default()).unwrap();
    let uncached = FakeServer::start(FakeConfig {
        response_cache_bytes: 0,
        ..FakeConfig::default()
    })
    .unwrap();
    let paths = [
        COMMITS,
        "/repositories/acme?pagelen=5&page=2&fields=next,values.slug",
        "/repositories/acme/core-api/pullrequests?state=MERGED&q=id%3E3",
        "/repositories/acme/core-api/refs/branches?sort=-name",
    ];
    // The server's own absolute links differ by port: compare with the port blanked out.
    let norm = |w: &Wire, srv: &FakeServer| String::from_utf8_lossy(&w.body).replace(&srv.port().to_string(), "PORT");
    for p in paths {
        let a = analyst(&srv, p);
        let b = analyst(&srv, p);
        let c = analyst(&uncached, p);
        assert_eq!(a.status(), 200, "{p}");
        assert!(a.complete && b.complete && c.complete, "{p}");
        assert_eq!(a.body, b.body, "{p}: the cached answer differs from the rendered one");
        assert_eq!(norm(&a, &srv), norm(&c, &uncached), "{p}");
        assert_eq!(a.header("content-type"), c.header("content-type"));
    }
    let stats = srv_stats(&srv);
    assert_eq!(stats["response_cache"]["hits"], 4);
    assert_eq!(uncached_stats_entries(&uncached), 0);

    // Credentials are part of the key: another caller is authenticated and rendered anew.
    let viewer = creds::basic(creds::VIEWER_EMAIL, creds::VIEWER_TOKEN);
    assert_eq!(raw_get(&srv, COMMITS, Some(&viewer)).status(), 403);
    assert_eq!(raw_get(&srv, COMMITS, None).status(), 404, "core-api is private");
    assert_eq!(raw_get(&srv, COMMITS, Some("Basic bm9wZTpub3Bl")).status(), 401);

    // Faults and the log still apply to cached answers.
    srv.reset_log();
    srv.set_faults(Faults {
        fail_next: Some(FailNext { count: 1, status: 503 }),
        ..Faults::default()
    });
    assert_eq!(analyst(&srv, COMMITS).status(), 503);
    assert_eq!(analyst(&srv, COMMITS).status(), 200);
    assert_eq!(srv.request_count(), 2);

    // A switch change empties the cache: raw Unicode instead of \u escapes.
    let unicode = "/repositories/acme/core-api/pullrequests?state=MERGED&state=OPEN&pagelen=50";
    let escaped = analyst(&srv, unicode);
    srv.update_switches(|s| s.escape_unicode = false);
    let raw = analyst(&srv, unicode);
    assert_eq!(
        serde_json::from_slice::<Value>(&escaped.body).unwrap(),
        serde_json::from_slice::<Value>(&raw.body).unwrap()
    );
    assert!(escaped.body.is_ascii());
    assert!(!raw.body.is_ascii(), "the data set has non-ASCII PR titles");
    // And the rate limit still counts every request.
    srv.update_switches(|s| s.rate_limit = Some((1, Duration::from_secs(60))));
    srv.reset_rate_limits();
    assert_eq!(analyst(&srv, COMMITS).status(), 200);
    assert_eq!(analyst(&srv, COMMITS).status(), 429);
}

fn srv_stats(srv: &FakeServer) -> Value {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let text = agent
        .get(&format!("{}/_fake/stats", srv.web_root()))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn uncached_stats_entries(srv: &FakeServer) -> u64 {
    srv_stats(srv)["response_cache"]["entries"].as_u64().unwrap()
}
