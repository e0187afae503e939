-- User import jobs (CreateUserImportJob …): the job, its uploaded CSV until the job ends, the lease a node's worker holds while
-- it imports (lease_owner / lease_until), and the rows it refused (kept here since there is no CloudWatch). Rows go with the pool.
CREATE TABLE user_import_jobs (
    job_id              TEXT    NOT NULL PRIMARY KEY,
    user_pool_id        TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    job_name            TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    role_arn            TEXT    NOT NULL,
    created_at          INTEGER NOT NULL,
    started_at          INTEGER,
    completed_at        INTEGER,
    completion_message  TEXT,
    imported_users      INTEGER NOT NULL DEFAULT 0,
    skipped_users       INTEGER NOT NULL DEFAULT 0,
    failed_users        INTEGER NOT NULL DEFAULT 0,
    upload_expires_at   INTEGER NOT NULL,
    csv                 BLOB,
    csv_bytes           INTEGER,
    upload_error        TEXT,
    next_row            INTEGER NOT NULL DEFAULT 0,
    stored_errors       INTEGER NOT NULL DEFAULT 0,
    lease_owner         TEXT,
    lease_until         INTEGER
);

CREATE INDEX user_import_jobs_pool ON user_import_jobs (user_pool_id, created_at);
CREATE INDEX user_import_jobs_runnable ON user_import_jobs (status, lease_until);

CREATE TABLE user_import_errors (
    job_id      TEXT    NOT NULL REFERENCES user_import_jobs (job_id) ON DELETE CASCADE,
    row_number  INTEGER NOT NULL,
    username    TEXT,
    message     TEXT    NOT NULL,
    PRIMARY KEY (job_id, row_number)
);
