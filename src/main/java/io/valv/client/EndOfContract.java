package io.valv.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.valv.web.ProblemException;

/**
 * When a scheduled end of contract (offboarding, DPA termination) takes effect. Like a KMS key deletion, it
 * waits a cancellable period by default, because it cannot be undone; a shorter wait is an explicit
 * exception that states its reason.
 */
@ApplicationScoped
public class EndOfContract {

    /** Longer than this is not an end of contract but a plan: schedule it later. */
    public static final int MAX_WAIT_DAYS = 90;

    private final EndOfContractConfig config;
    private final Clock clock;

    EndOfContract(EndOfContractConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /**
     * The moment a request schedules, validated: {@code waitDays} absent means the configured period; a
     * wait below it needs a reason.
     */
    public Instant scheduledFor(Request request) {
        Duration wait = request.waitDays() == null ? config.waitingPeriod() : Duration.ofDays(request.waitDays());
        if (wait.isNegative() || wait.toDays() > MAX_WAIT_DAYS) {
            throw ProblemException.badRequest("validation", "waitDays must be between 0 and " + MAX_WAIT_DAYS + ".");
        }
        if (request.reason() != null && request.reason().length() > 500) {
            throw ProblemException.badRequest("validation", "reason is longer than 500 characters.");
        }
        if (wait.compareTo(config.waitingPeriod()) < 0 && request.reason() == null) {
            throw ProblemException.badRequest("reason-required", "A waiting period shorter than "
                    + config.waitingPeriod().toDays() + " days needs a reason.");
        }
        return Instant.now(clock).plus(wait).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** The audit detail of a scheduling: when, and why a shortened wait was shortened. */
    public static String describe(Instant scheduledFor, Request request) {
        return "scheduled for " + scheduledFor + (request.reason() == null ? "" : "; reason: " + request.reason());
    }

    /** Whether a schedule is due now. */
    public boolean isDue(Instant scheduledFor) {
        return !scheduledFor.isAfter(Instant.now(clock));
    }

    /**
     * What the processor's admin asks for; both optional. {@code reason} is stripped, blank means none.
     */
    public record Request(Integer waitDays, String reason) {

        public static final Request DEFAULT = new Request(null, null);

        public Request {
            reason = reason == null || reason.isBlank() ? null : reason.strip();
        }
    }
}
