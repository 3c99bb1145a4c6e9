//! Paging streams fetch lazily and yield every item once.

use futures::StreamExt;

use chatrace_runtime::{Error, PageOptions, PagingStop};

fn sized(page_size: u64) -> PageOptions {
    PageOptions {
        page_size: Some(page_size),
        ..PageOptions::default()
    }
}

use crate::common::*;

/// A server holding `total` items `0..total`, answering `offset`/`limit` pages.
async fn list_server(total: u64) -> Server {
    Server::start(move |request, _| {
        let body = request.json();
        let offset = body["offset"].as_u64().unwrap_or(0);
        let limit = body["limit"].as_u64().unwrap_or(20);
        let page: Vec<u64> = (offset..total.min(offset + limit)).collect();
        Reply::ok(&serde_json::to_string(&page).unwrap_or_default())
    })
    .await
}

fn offsets_and_limits(server: &Server) -> Vec<(u64, u64)> {
    server
        .received()
        .iter()
        .map(|r| {
            let body = r.json();
            (
                body["offset"].as_u64().unwrap_or(u64::MAX),
                body["limit"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect()
}

#[tokio::test]
async fn items_over_three_pages_are_each_yielded_once() {
    let server = list_server(45).await;
    let items: Vec<u64> = handle(&server.url)
        .items(FakeList::new(), PageOptions::default())
        .map(|item| item.expect("every page loads"))
        .collect()
        .await;
    assert_eq!(items, (0..45).collect::<Vec<_>>());
    assert_eq!(
        offsets_and_limits(&server),
        vec![(0, 20), (20, 20), (40, 20)]
    );
    assert_eq!(
        server.last().json()["account_id"],
        serde_json::json!(ACCOUNT)
    );
}

#[tokio::test]
async fn pages_are_fetched_lazily() {
    let server = list_server(100).await;
    let mut pages = handle(&server.url).pages(FakeList::new(), sized(10));
    assert_eq!(server.count(), 0, "nothing is fetched before polling");
    let first = pages.next().await.map(|p| p.expect("loads"));
    assert_eq!(first, Some((0..10).collect()));
    assert_eq!(server.count(), 1);
    let second = pages.next().await.map(|p| p.expect("loads"));
    assert_eq!(second, Some((10..20).collect()));
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn an_exact_multiple_ends_on_the_empty_page() {
    let server = list_server(40).await;
    let pages: Vec<Vec<u64>> = handle(&server.url)
        .pages(FakeList::new(), sized(20))
        .map(|page| page.expect("loads"))
        .collect()
        .await;
    assert_eq!(pages.len(), 2, "the empty page is not yielded");
    assert_eq!(
        offsets_and_limits(&server),
        vec![(0, 20), (20, 20), (40, 20)]
    );
}

#[tokio::test]
async fn the_page_size_is_clamped_to_the_maximum() {
    let server = list_server(150).await;
    let pages: Vec<_> = handle(&server.url)
        .pages(FakeList::new(), sized(1000))
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert_eq!(offsets_and_limits(&server), vec![(0, 100), (100, 100)]);
}

/// A server that answers fewer items than asked past the default page size (a cap of its own,
/// below ours) is read to its end: its short pages are not the last, and the next starts after
/// the items received.
#[tokio::test]
async fn a_server_that_caps_its_pages_lower_is_read_to_the_end() {
    let server = Server::start(move |request, _| {
        let body = request.json();
        let offset = body["offset"].as_u64().unwrap_or(0);
        let limit = body["limit"].as_u64().unwrap_or(20).min(30);
        let page: Vec<u64> = (offset..95u64.min(offset + limit)).collect();
        Reply::ok(&serde_json::to_string(&page).unwrap_or_default())
    })
    .await;
    let items: Vec<u64> = handle(&server.url)
        .items(FakeList::new(), sized(100))
        .map(|item| item.expect("loads"))
        .collect()
        .await;
    assert_eq!(items, (0..95).collect::<Vec<_>>());
    assert_eq!(
        offsets_and_limits(&server),
        vec![(0, 100), (30, 100), (60, 100), (90, 100), (95, 100)]
    );
}

#[tokio::test]
async fn an_error_ends_the_stream_after_being_yielded() {
    let server = Server::script(vec![
        Reply::ok("[1,2]"),
        Reply::json(r#"{"status":"ERROR","code":500,"message":"db down"}"#),
    ])
    .await;
    let results: Vec<Result<Vec<u64>, Error>> = handle(&server.url)
        .pages(FakeList::new(), sized(2))
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].as_ref().ok(), Some(&vec![1, 2]));
    assert!(
        matches!(results[1], Err(Error::Api { .. })),
        "{:?}",
        results[1]
    );
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_server_that_ignores_the_offset_does_not_make_the_stream_loop() {
    // Every page is the first one, full: without the check the stream would never end.
    let server = Server::always(Reply::ok("[1,2,3]")).await;
    let results: Vec<Result<u64, Error>> = handle(&server.url)
        .items(FakeList::new(), sized(3))
        .collect()
        .await;
    let items: Vec<u64> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().copied())
        .collect();
    assert_eq!(items, [1, 2, 3], "the first page's items, once");
    match results.last() {
        Some(Err(Error::Paging { operation, stop })) => {
            assert_eq!(*operation, "fake_list");
            assert_eq!(*stop, PagingStop::RepeatedPage { offset: 3 });
        }
        other => panic!("the stream says why it stopped, got {other:?}"),
    }
    assert_eq!(server.count(), 2, "it stopped at the first repeat");
}

#[tokio::test]
async fn paging_starts_at_the_callers_offset() {
    let server = list_server(45).await;
    let items: Vec<u64> = handle(&server.url)
        .items(FakeList::from_offset(30), sized(10))
        .map(|item| item.expect("loads"))
        .collect()
        .await;
    assert_eq!(items, (30..45).collect::<Vec<_>>());
    assert_eq!(offsets_and_limits(&server), vec![(30, 10), (40, 10)]);
}

#[tokio::test]
async fn the_page_cap_ends_a_listing_that_would_go_on_and_says_so() {
    let server = list_server(1000).await;
    let options = PageOptions {
        page_size: Some(10),
        max_pages: Some(3),
        ..PageOptions::default()
    };
    let results: Vec<Result<Vec<u64>, Error>> = handle(&server.url)
        .pages(FakeList::new(), options)
        .collect()
        .await;
    assert_eq!(results.len(), 3, "two pages, then the stop");
    assert!(
        matches!(
            &results[2],
            Err(Error::Paging {
                stop: PagingStop::Cap { pages: 3 },
                ..
            })
        ),
        "{:?}",
        results[2]
    );
    assert!(results[2]
        .as_ref()
        .unwrap_err()
        .to_string()
        .contains("max_pages"));
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn each_page_is_sent_with_the_calls_options() {
    let server = list_server(5).await;
    let options = PageOptions {
        call: chatrace_runtime::CallOptions::new().with_account_id(99),
        ..PageOptions::default()
    };
    let _: Vec<_> = handle(&server.url)
        .pages(FakeList::new(), options)
        .collect()
        .await;
    assert_eq!(server.last().json()["account_id"], 99);
}
