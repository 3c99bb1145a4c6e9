//! Paging streams fetch lazily and yield every item once.

use futures::StreamExt;

use chatrace_runtime::Error;

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
        .items(FakeList::new(), None)
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
    let mut pages = handle(&server.url).pages(FakeList::new(), Some(10));
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
        .pages(FakeList::new(), Some(20))
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
        .pages(FakeList::new(), Some(1000))
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert_eq!(offsets_and_limits(&server), vec![(0, 100), (100, 100)]);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_being_yielded() {
    let server = Server::script(vec![
        Reply::ok("[1,2]"),
        Reply::json(r#"{"status":"ERROR","code":500,"message":"db down"}"#),
    ])
    .await;
    let results: Vec<Result<Vec<u64>, Error>> = handle(&server.url)
        .pages(FakeList::new(), Some(2))
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
