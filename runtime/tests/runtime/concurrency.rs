//! One handle serves many calls at once.

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_calls_on_one_handle() {
    let server = Server::start(|request, _| {
        let id = request.json()["id"].clone();
        Reply::ok(&format!(r#"{{"id":{id}}}"#))
    })
    .await;
    let handle = handle(&server.url);
    let tasks: Vec<_> = (0..200u64)
        .map(|id| {
            let handle = handle.clone();
            tokio::spawn(async move { handle.execute(FakeGet::new(id)).await })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        let order = task
            .await
            .expect("the task ran")
            .expect("the call succeeded");
        ids.push(order.id);
    }
    assert_eq!(
        ids,
        (0..200).collect::<Vec<_>>(),
        "each call got its own answer"
    );
    assert_eq!(server.count(), 200);
}
