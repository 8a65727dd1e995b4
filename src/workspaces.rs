//! Choosing the workspace by name, as `tw -w org/workspace` does.

use crate::{Client, Error};

const RESOLVE: &str = "resolve_workspace";

impl Client {
    /// Finds the id of a workspace given as `org/workspace` (the names shown
    /// in the Platform), or as a numeric id, among the workspaces the token's
    /// user belongs to.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the text is neither form or no such
    /// workspace is visible to the user (the message lists what is);
    /// otherwise what the API calls return.
    pub async fn resolve_workspace(&self, workspace: &str) -> Result<i64, Error> {
        let workspace = workspace.trim();
        if let Ok(id) = workspace.parse::<i64>() {
            return Ok(id);
        }
        let invalid = |message: String| Error::InvalidRequest {
            operation: RESOLVE.to_owned(),
            message,
        };
        let Some((org, name)) = workspace.split_once('/') else {
            return Err(invalid(format!(
                "{workspace:?} is neither a workspace id nor `org/workspace`"
            )));
        };
        let user = self
            .user_info()
            .send()
            .await?
            .into_inner()
            .user
            .and_then(|u| u.id);
        let Some(user_id) = user else {
            return Err(invalid(
                "the platform did not say which user the token belongs to".to_owned(),
            ));
        };
        let entries = self
            .list_workspaces_user()
            .user_id(user_id)
            .send()
            .await?
            .into_inner()
            .orgs_and_workspaces;
        let found = entries.iter().find(|e| {
            e.org_name.as_deref() == Some(org) && e.workspace_name.as_deref() == Some(name)
        });
        match found.and_then(|e| e.workspace_id) {
            Some(id) => Ok(id),
            None => {
                let known: Vec<String> = entries
                    .iter()
                    .filter(|e| e.workspace_id.is_some())
                    .map(|e| {
                        format!(
                            "{}/{}",
                            e.org_name.as_deref().unwrap_or("?"),
                            e.workspace_name.as_deref().unwrap_or("?")
                        )
                    })
                    .collect();
                Err(invalid(format!(
                    "no workspace {workspace:?} for this user; known: {}",
                    known.join(", ")
                )))
            }
        }
    }

    /// A clone of this client whose default workspace is `workspace` (an id,
    /// or `org/workspace`). The clone shares the connection pool and the
    /// throttle.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), seqera_tower::Error> {
    /// let client = seqera_tower::Client::from_env()?.with_workspace("acme-bio/genomics").await?;
    /// let pipelines = client.list_pipelines().send().await?; // in acme-bio/genomics
    /// # let _ = pipelines; Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`resolve_workspace`](Self::resolve_workspace).
    pub async fn with_workspace(&self, workspace: &str) -> Result<Client, Error> {
        let id = self.resolve_workspace(workspace).await?;
        let mut client = self.clone();
        client.inner = client.inner.with_workspace_id(Some(id));
        Ok(client)
    }
}
