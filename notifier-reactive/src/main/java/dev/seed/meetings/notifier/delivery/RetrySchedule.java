package dev.seed.meetings.notifier.delivery;

import java.time.Duration;

/** When a transiently failed invitation is tried again, and when it is given up. */
public record RetrySchedule(Duration firstBackoff, Duration maxBackoff, Duration giveUpAfter) {
}
