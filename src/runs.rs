//! Launching pipelines and following runs to the end.
//!
//! ```no_run
//! # async fn run(client: &seqera_tower::Client) -> Result<(), seqera_tower::Error> {
//! use std::time::Duration;
//! use seqera_tower::runs::WaitOptions;
//!
//! // A pipeline of the workspace's launchpad, by name…
//! let run_id = client.launch("rnaseq").revision("3.14.0").params(serde_json::json!({ "input": "s3://bucket/samples.csv" })).send().await?;
//! // …or any repository, on the workspace's primary compute environment.
//! let other = client.launch("https://github.com/nf-core/hello").send().await?;
//!
//! let finished = client
//!     .wait_for_workflow(&run_id, WaitOptions::default().timeout(Duration::from_secs(6 * 3600)))
//!     .await?;
//! println!("{:?}", finished.workflow.and_then(|w| w.status));
//! # let _ = other; Ok(()) }
//! ```
//!
//! A run's tasks, metrics, progress and logs come from the generated
//! operations: `list_workflow_tasks().stream()`, `describe_workflow_metrics()`,
//! `describe_workflow_progress()`, and `download_workflow_log()` /
//! `download_workflow_task_log()`, which return the body as a stream of
//! bytes (nothing is buffered whole).

use std::time::Duration;

use futures::TryStreamExt;

use crate::types::{self, WorkflowStatus};
use crate::{Client, Error};

const LAUNCH: &str = "launch";

/// A launch being configured; see [`Client::launch`].
#[derive(Debug, Clone)]
#[must_use = "a launch does nothing until `.send()` is awaited"]
pub struct Launch<'a> {
    client: &'a Client,
    pipeline: String,
    workspace_id: Option<i64>,
    compute_env_id: Option<String>,
    work_dir: Option<String>,
    revision: Option<String>,
    params: Option<serde_json::Value>,
    profiles: Option<Vec<String>>,
    run_name: Option<String>,
    config_text: Option<String>,
}

impl Client {
    /// Starts configuring a launch of `pipeline`: the name of a pipeline in
    /// the workspace's launchpad (its saved launch configuration is the
    /// base), or a repository URL (launched on the given or the primary
    /// compute environment, in its work directory unless one is given).
    pub fn launch(&self, pipeline: impl Into<String>) -> Launch<'_> {
        Launch {
            client: self,
            pipeline: pipeline.into(),
            workspace_id: None,
            compute_env_id: None,
            work_dir: None,
            revision: None,
            params: None,
            profiles: None,
            run_name: None,
            config_text: None,
        }
    }
}

impl<'a> Launch<'a> {
    /// The workspace (default: the client's).
    pub fn workspace_id(mut self, id: i64) -> Self {
        self.workspace_id = Some(id);
        self
    }

    /// The compute environment to run on.
    pub fn compute_env_id(mut self, id: impl Into<String>) -> Self {
        self.compute_env_id = Some(id.into());
        self
    }

    /// The work directory (`s3://…`, `/scratch/…`).
    pub fn work_dir(mut self, dir: impl Into<String>) -> Self {
        self.work_dir = Some(dir.into());
        self
    }

    /// The revision (branch, tag or commit) of the pipeline.
    pub fn revision(mut self, revision: impl Into<String>) -> Self {
        self.revision = Some(revision.into());
        self
    }

    /// Pipeline parameters, sent as JSON `paramsText`.
    pub fn params(mut self, params: serde_json::Value) -> Self {
        self.params = Some(params);
        self
    }

    /// Nextflow configuration profiles.
    pub fn profiles<I: IntoIterator<Item = S>, S: Into<String>>(mut self, profiles: I) -> Self {
        self.profiles = Some(profiles.into_iter().map(Into::into).collect());
        self
    }

    /// The run's name (default: chosen by the platform).
    pub fn run_name(mut self, name: impl Into<String>) -> Self {
        self.run_name = Some(name.into());
        self
    }

    /// Extra Nextflow configuration text.
    pub fn config_text(mut self, text: impl Into<String>) -> Self {
        self.config_text = Some(text.into());
        self
    }

    fn invalid(message: String) -> Error {
        Error::InvalidRequest {
            operation: LAUNCH.to_owned(),
            message,
        }
    }

    /// Resolves the pipeline, submits the launch and returns the new run's
    /// workflow id. A launch is a POST and is never retried once sent.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when the pipeline is not in the launchpad,
    /// or no compute environment or work directory can be found; otherwise
    /// what the API calls return.
    pub async fn send(self) -> Result<String, Error> {
        let workspace = self.workspace_id.or(self.client.workspace_id());
        let mut request = if is_repository(&self.pipeline) {
            self.repository_request(workspace).await?
        } else {
            self.launchpad_request(workspace).await?
        };
        if let Some(dir) = &self.work_dir {
            request.work_dir = Some(dir.clone());
        }
        if let Some(revision) = &self.revision {
            request.revision = Some(revision.clone());
        }
        if let Some(params) = &self.params {
            request.params_text = Some(params.to_string());
        }
        if let Some(profiles) = &self.profiles {
            request.config_profiles = profiles.clone();
        }
        if let Some(name) = &self.run_name {
            request.run_name = Some(name.clone());
        }
        if let Some(text) = &self.config_text {
            request.config_text = Some(text.clone());
        }
        if request.work_dir.as_deref().is_none_or(str::is_empty) {
            return Err(Self::invalid(format!(
                "no work directory for {}: set .work_dir(..) or one on the compute environment",
                self.pipeline
            )));
        }
        let mut call =
            self.client
                .create_workflow_launch()
                .body(types::SubmitWorkflowLaunchRequest {
                    launch: Some(request),
                    ..Default::default()
                });
        if let Some(ws) = workspace {
            call = call.workspace_id(ws);
        }
        let submitted = call.send().await?.into_inner();
        submitted
            .workflow_id
            .filter(|id| !id.is_empty())
            .ok_or_else(|| {
                Self::invalid(
                    "the platform accepted the launch but returned no workflow id".to_owned(),
                )
            })
    }

    async fn repository_request(
        &self,
        workspace: Option<i64>,
    ) -> Result<types::WorkflowLaunchRequest, Error> {
        let mut request = types::WorkflowLaunchRequest {
            pipeline: Some(self.pipeline.clone()),
            ..Default::default()
        };
        let mut envs = self.client.list_compute_envs();
        if let Some(ws) = workspace {
            envs = envs.workspace_id(ws);
        }
        let envs = envs.send().await?.into_inner().compute_envs;
        let chosen = match &self.compute_env_id {
            Some(id) => envs
                .into_iter()
                .find(|e| e.id.as_deref() == Some(id.as_str())),
            None => envs.into_iter().find(|e| e.primary == Some(true)),
        };
        match (chosen, &self.compute_env_id) {
            (Some(env), _) => {
                request.compute_env_id = env.id;
                request.work_dir = env.work_dir;
            }
            (None, Some(id)) => request.compute_env_id = Some(id.clone()),
            (None, None) => {
                return Err(Self::invalid(
                    "no compute environment given and the workspace has no primary one: set .compute_env_id(..)"
                        .to_owned(),
                ));
            }
        }
        Ok(request)
    }

    async fn launchpad_request(
        &self,
        workspace: Option<i64>,
    ) -> Result<types::WorkflowLaunchRequest, Error> {
        let mut list = self.client.list_pipelines().search(self.pipeline.clone());
        if let Some(ws) = workspace {
            list = list.workspace_id(ws);
        }
        let found = list
            .stream()
            .try_filter(|p| {
                futures::future::ready(p.name.as_deref() == Some(self.pipeline.as_str()))
            })
            .try_next()
            .await?;
        let Some(pipeline_id) = found.and_then(|p| p.pipeline_id) else {
            return Err(Self::invalid(format!(
                "no pipeline named {:?} in the launchpad{}; pass a repository URL to launch it directly",
                self.pipeline,
                workspace
                    .map(|w| format!(" of workspace {w}"))
                    .unwrap_or_default()
            )));
        };
        let mut describe = self
            .client
            .describe_pipeline_launch()
            .pipeline_id(pipeline_id);
        if let Some(ws) = workspace {
            describe = describe.workspace_id(ws);
        }
        let launch = describe
            .send()
            .await?
            .into_inner()
            .launch
            .unwrap_or_default();
        Ok(types::WorkflowLaunchRequest {
            id: launch.id,
            compute_env_id: self
                .compute_env_id
                .clone()
                .or(launch.compute_env.and_then(|c| c.id)),
            pipeline: launch.pipeline,
            work_dir: launch.work_dir,
            revision: launch.revision,
            config_profiles: launch.config_profiles,
            config_text: launch.config_text,
            params_text: launch.params_text,
            pre_run_script: launch.pre_run_script,
            post_run_script: launch.post_run_script,
            main_script: launch.main_script,
            entry_name: launch.entry_name,
            schema_name: launch.schema_name,
            pull_latest: launch.pull_latest,
            stub_run: launch.stub_run,
            user_secrets: launch.user_secrets,
            workspace_secrets: launch.workspace_secrets,
            ..Default::default()
        })
    }
}

/// A repository URL (`https://github.com/nf-core/rnaseq`), as opposed to a
/// launchpad name.
fn is_repository(pipeline: &str) -> bool {
    pipeline.contains("://") || pipeline.starts_with("git@")
}

/// A callback that sees every state a wait polls.
type ProgressCallback = Box<dyn FnMut(&types::DescribeWorkflowResponse) + Send>;

/// How [`Client::wait_for_workflow`] polls.
pub struct WaitOptions {
    timeout: Duration,
    first_interval: Duration,
    max_interval: Duration,
    on_progress: Option<ProgressCallback>,
}

impl std::fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaitOptions")
            .field("timeout", &self.timeout)
            .field("first_interval", &self.first_interval)
            .field("max_interval", &self.max_interval)
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

impl Default for WaitOptions {
    /// Wait up to 24 hours, polling after 2 s and backing off (×1.5) to once
    /// a minute.
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(24 * 3600),
            first_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(60),
            on_progress: None,
        }
    }
}

impl WaitOptions {
    /// Gives up (with [`Error::WaitTimeout`]) after this long.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The first poll interval and the longest one it backs off to.
    pub fn poll_interval(mut self, first: Duration, max: Duration) -> Self {
        self.first_interval = first;
        self.max_interval = max.max(first);
        self
    }

    /// Called with every state the poll sees (status, progress…).
    pub fn on_progress(
        mut self,
        f: impl FnMut(&types::DescribeWorkflowResponse) + Send + 'static,
    ) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }
}

/// Whether a run in this status has ended. `UNKNOWN` counts as ended: the
/// platform lost track of the run and will not move it on by itself.
pub fn is_terminal(status: &WorkflowStatus) -> bool {
    matches!(
        status,
        WorkflowStatus::Succeeded
            | WorkflowStatus::Failed
            | WorkflowStatus::Cancelled
            | WorkflowStatus::Unknown
    )
}

impl Client {
    /// Polls a run (in the client's default workspace) until it ends
    /// (`SUCCEEDED`, `FAILED`, `CANCELLED` or `UNKNOWN`) and returns its last
    /// description. Polls back off from the first interval to the maximum;
    /// every poll goes through the throttle and retries.
    ///
    /// # Errors
    ///
    /// [`Error::WaitTimeout`] when the run has not ended within the timeout;
    /// otherwise what `describe_workflow` returns.
    pub async fn wait_for_workflow(
        &self,
        workflow_id: &str,
        mut options: WaitOptions,
    ) -> Result<types::DescribeWorkflowResponse, Error> {
        let started = tokio::time::Instant::now();
        let mut interval = options.first_interval;
        loop {
            let state = self
                .describe_workflow()
                .workflow_id(workflow_id)
                .send()
                .await?
                .into_inner();
            if let Some(progress) = options.on_progress.as_mut() {
                progress(&state);
            }
            let status = state.workflow.as_ref().and_then(|w| w.status.clone());
            if status.as_ref().is_some_and(is_terminal) {
                return Ok(state);
            }
            let elapsed = started.elapsed();
            if elapsed >= options.timeout {
                return Err(Error::WaitTimeout {
                    workflow_id: workflow_id.to_owned(),
                    last_status: status.map(|s| s.to_string()),
                    waited: elapsed,
                });
            }
            tokio::time::sleep(interval.min(options.timeout - elapsed)).await;
            interval = interval.mul_f64(1.5).min(options.max_interval);
        }
    }
}
