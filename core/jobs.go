package core

import "context"

// GetJobs lists the jobs of a workspace (get_jobs).
func (c *Client) GetJobs(ctx context.Context, opts ...CallOption) ([]Job, error) {
	return listIn[Job](ctx, c, "jobs", opts)
}

// StartJobRun starts a run of a job (start_job_run); body is nil ({}) or an object
// with params and data. It is never re-sent once it may have reached the server:
// a second send would run the job twice.
func (c *Client) StartJobRun(ctx context.Context, job Ref, body any, opts ...CallOption) (JobRunStart, error) {
	var out JobRunStart
	id, err := job.segment("job")
	if err != nil {
		return out, err
	}
	u, err := c.wsURL(opts, "jobs", id, "runs")
	if err != nil {
		return out, err
	}
	b, err := objectBody("the job run body", body)
	if err != nil {
		return out, err
	}
	err = c.doJSON(ctx, call{method: "POST", url: u, body: b, raw: collectOptions(opts).raw}, &out)
	return out, err
}

func (c *Client) runURL(job, run Ref, what string, opts []CallOption) (string, error) {
	j, err := job.segment("job")
	if err != nil {
		return "", err
	}
	r, err := run.segment("job run")
	if err != nil {
		return "", err
	}
	return c.wsURL(opts, "jobs", j, "runs", r, what)
}

// GetJobRunStatus reads the state of a job run (get_job_run_status).
func (c *Client) GetJobRunStatus(ctx context.Context, job, run Ref, opts ...CallOption) (JobRunStatus, error) {
	var out JobRunStatus
	u, err := c.runURL(job, run, "status", opts)
	if err != nil {
		return out, err
	}
	err = c.getJSON(ctx, u, &out, opts)
	return out, err
}

// GetRunReviewDocument asks for a review document of a run's entries
// (get_run_review_document); download it like an export.
func (c *Client) GetRunReviewDocument(ctx context.Context, job, run Ref, opts ...CallOption) (ExportStart, error) {
	var out ExportStart
	u, err := c.runURL(job, run, "generate-review-document", opts)
	if err != nil {
		return out, err
	}
	err = c.doJSON(ctx, call{method: "POST", url: u, raw: collectOptions(opts).raw}, &out)
	return out, err
}

// DeliverJobRunEntries delivers a run's entries (deliver_job_run_entries). It is
// never re-sent once it may have reached the server: a second send delivers twice.
func (c *Client) DeliverJobRunEntries(ctx context.Context, job, run Ref, opts ...CallOption) error {
	u, err := c.runURL(job, run, "deliver", opts)
	if err != nil {
		return err
	}
	return c.doJSON(ctx, call{method: "POST", url: u}, nil)
}
