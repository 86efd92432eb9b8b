-- IoT alarms: per machine and metric, whether an alarm is raised (a reading went past the limit and none has
-- come back under it since) and how many excursions there have been. The excursion number names the alarm
-- (its source message id), so an alarm published again after a crash is recognised as the same one.
CREATE TABLE iot_alarm_state (
    system     VARCHAR(64)  NOT NULL,
    line       VARCHAR(64)  NOT NULL,
    machine    VARCHAR(64)  NOT NULL,
    metric     VARCHAR(64)  NOT NULL,
    raised     BOOLEAN      NOT NULL,
    episode    BIGINT       NOT NULL,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_iot_alarm_state PRIMARY KEY (system, line, machine, metric)
);
