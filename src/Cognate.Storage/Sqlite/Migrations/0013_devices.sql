-- Remembered devices (issue 16, reference §3.9): one row per device a user signed in from. device_key is {region}_{uuid};
-- salt (plain) and verifier_sealed (the device SRP verifier sealed with the master key, associated data
-- 'device:{pool}/{device_key}', listed in MasterKeyRotation) are null until ConfirmDevice. The row goes with its user (and so
-- with the pool). Unix milliseconds, UTC.
CREATE TABLE devices (
    user_pool_id       TEXT    NOT NULL,
    device_key         TEXT    NOT NULL,
    username           TEXT    NOT NULL,
    device_group_key   TEXT    NOT NULL,
    salt               BLOB,
    verifier_sealed    BLOB,
    status             TEXT    NOT NULL,
    name               TEXT,
    last_ip            TEXT,
    created_at         INTEGER NOT NULL,
    modified_at        INTEGER NOT NULL,
    last_authenticated INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, device_key),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX ix_devices_user ON devices (user_pool_id, username, created_at);
