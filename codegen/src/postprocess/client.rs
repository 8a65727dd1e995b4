//! Pass `constructors`: progenitor's `Client::new` / `Client::new_with_client`.
//!
//! The crate builds its `Client` through `Client::builder()`, which validates
//! the configuration and wires the token, throttle and retries into the
//! client's inner state. progenitor's constructors would bypass all of that
//! (and `new` unwraps a reqwest build error), so the pass removes the `impl`
//! block that holds them.

pub(super) fn remove_constructors(file: &mut syn::File) -> Result<(), String> {
    let before = file.items.len();
    file.items.retain(|item| {
        let syn::Item::Impl(imp) = item else {
            return true;
        };
        !imp.items
            .iter()
            .any(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "new_with_client"))
    });
    if file.items.len() + 1 != before {
        return Err(
            "constructors: progenitor's `impl Client { fn new_with_client }` block was not found"
                .into(),
        );
    }
    Ok(())
}
