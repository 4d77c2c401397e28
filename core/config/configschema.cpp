#include "configschema.h"

#include "alertconfigkeys.h"
#include "configkeybuilders.h"
#include "telemetryconfigkeys.h"

#include <algorithm>
#include <chrono>

namespace breakwater {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr double kTenMinutesMs = 600'000;
constexpr double kHourMs = 3'600'000;
constexpr double kDayMs = 86'400'000;
// Seeds stop at 2^53 - 1, the largest integer every JSON tool keeps exact.
constexpr double kMaxSeed = 9'007'199'254'740'991.0;

std::vector<ConfigKey> buildKeys()
{
    const QStringList outputFormats = {
        QStringLiteral("mp3_44100_64"),  QStringLiteral("mp3_44100_96"),
        QStringLiteral("mp3_44100_128"), QStringLiteral("mp3_44100_192"),
        QStringLiteral("mp3_22050_32"),  QStringLiteral("pcm_16000"),
        QStringLiteral("pcm_22050"),     QStringLiteral("pcm_24000"),
        QStringLiteral("pcm_44100"),     QStringLiteral("ulaw_8000")};
    const QStringList backoffs =
        allNames(int(BackoffKind::DecorrelatedJitter) + 1, backoffKindName);
    const QStringList windows = allNames(int(WindowKind::Time) + 1, windowKindName);
    const QStringList levels = allNames(int(EventLevel::Critical) + 1, eventLevelName);

    ConfigKey outputFormat = stringKey(
        "services.elevenlabs.output_format", 1, kMaxConfigStringLength,
        [](auto& c) -> auto& { return c.elevenlabs.outputFormat; });
    outputFormat.choices = outputFormats;

    std::vector<ConfigKey> keys = {
        baseUrlKey(),
        apiKeyKey(),
        stringKey(
            "services.elevenlabs.voice_id", 1, 256,
            [](auto& c) -> auto& { return c.elevenlabs.voiceId; }),
        stringKey(
            "services.elevenlabs.model_id", 1, 256,
            [](auto& c) -> auto& { return c.elevenlabs.modelId; }),
        outputFormat,
        durationKey<milliseconds>(
            "services.elevenlabs.timeout_ms", 1, kTenMinutesMs,
            [](auto& c) -> auto& { return c.elevenlabs.timeout; }),
        durationKey<milliseconds>(
            "services.elevenlabs.probe_timeout_ms", 1, kTenMinutesMs,
            [](auto& c) -> auto& { return c.elevenlabs.probeTimeout; }),
        integerKey(
            "services.elevenlabs.max_response_bytes", 1024, 1024.0 * 1024 * 1024,
            [](auto& c) -> auto& { return c.elevenlabs.maxResponseBytes; }),

        maxRetriesKey(),
        choiceKey(
            "retry.backoff", backoffs, [](auto& c) -> auto& { return c.retry.backoff.kind; },
            backoffKindName,
            [](const QString& name) { return backoffKindFromName(name).value_or(BackoffKind{}); }),
        durationKey<milliseconds>(
            "retry.base_delay_ms", 0, kHourMs,
            [](auto& c) -> auto& { return c.retry.backoff.base; }),
        numberKey(
            "retry.multiplier", 1, 100,
            [](auto& c) -> auto& { return c.retry.backoff.multiplier; }),
        durationKey<milliseconds>(
            "retry.max_delay_ms", 0, kHourMs, [](auto& c) -> auto& { return c.retry.backoff.cap; }),
        durationKey<milliseconds>(
            "retry.max_retry_after_ms", 0, kHourMs,
            [](auto& c) -> auto& { return c.retry.maxRetryAfter; }),
        durationKey<milliseconds>(
            "retry.attempt_timeout_ms", 0, kHourMs,
            [](auto& c) -> auto& { return c.retry.attemptTimeout; }),
        numberKey(
            "retry.budget.max_tokens", 1, 1'000'000,
            [](auto& c) -> auto& { return c.retry.budget.maxTokens; }),
        numberKey(
            "retry.budget.token_ratio", 0, 1,
            [](auto& c) -> auto& { return c.retry.budget.tokenRatio; }),

        integerKey(
            "breaker.consecutive_failures", 0, 1'000'000,
            [](auto& c) -> auto& { return c.breaker.consecutiveFailures; }),
        numberKey(
            "breaker.failure_rate_threshold", 0, 100,
            [](auto& c) -> auto& { return c.breaker.failureRateThreshold; }),
        numberKey(
            "breaker.slow_call_rate_threshold", 0, 100,
            [](auto& c) -> auto& { return c.breaker.slowCallRateThreshold; }),
        durationKey<milliseconds>(
            "breaker.slow_call_duration_ms", 0, kHourMs,
            [](auto& c) -> auto& { return c.breaker.slowCallDuration; }),
        choiceKey(
            "breaker.window", windows, [](auto& c) -> auto& { return c.breaker.windowKind; },
            windowKindName,
            [](const QString& name) {
                return name == windowKindName(WindowKind::Time) ? WindowKind::Time
                                                                : WindowKind::Count;
            }),
        integerKey(
            "breaker.window_size", 1, kMaxCountWindow,
            [](auto& c) -> auto& { return c.breaker.windowSize; }),
        integerKey(
            "breaker.minimum_calls", 1, kMaxCountWindow,
            [](auto& c) -> auto& { return c.breaker.minimumCalls; }),
        durationKey<milliseconds>(
            "breaker.open_wait_ms", 1, kDayMs, [](auto& c) -> auto& { return c.breaker.openWait; }),
        numberKey(
            "breaker.open_wait_multiplier", 1, 100,
            [](auto& c) -> auto& { return c.breaker.openWaitMultiplier; }),
        durationKey<milliseconds>(
            "breaker.max_open_wait_ms", 1, kDayMs,
            [](auto& c) -> auto& { return c.breaker.maxOpenWait; }),
        integerKey(
            "breaker.half_open_permits", 1, kMaxHalfOpenPermits,
            [](auto& c) -> auto& { return c.breaker.halfOpenPermits; }),
        integerKey(
            "breaker.half_open_successes", 1, kMaxHalfOpenPermits,
            [](auto& c) -> auto& { return c.breaker.halfOpenSuccesses; }),
        durationKey<milliseconds>(
            "breaker.max_half_open_wait_ms", 0, kDayMs,
            [](auto& c) -> auto& { return c.breaker.maxHalfOpenWait; }),

        durationKey<milliseconds>(
            "health.interval_ms", 1, kHourMs, [](auto& c) -> auto& { return c.health.interval; }),
        durationKey<milliseconds>(
            "health.healthy_interval_ms", 0, kDayMs,
            [](auto& c) -> auto& { return c.health.healthyInterval; }),
        durationKey<milliseconds>(
            "health.timeout_ms", 1, kTenMinutesMs,
            [](auto& c) -> auto& { return c.health.timeout; }),
        booleanKey(
            "health.close_on_success", [](auto& c) -> auto& { return c.health.closeOnSuccess; }),

        integerKey(
            "pipeline.queue_capacity", 1, 1'000'000,
            [](auto& c) -> auto& { return c.pipeline.queueCapacity; }),
        integerKey(
            "pipeline.max_in_flight", 1, 10'000,
            [](auto& c) -> auto& { return c.pipeline.maxInFlight; }),

        numberKey(
            "load.calls_per_second", 0, 100'000,
            [](auto& c) -> auto& { return c.load.callsPerSecond; }),
        scriptsKey(),
        integerKey(
            "load.seed", 0, kMaxSeed, [](auto& c) -> auto& { return c.load.seed; }),

        integerKey(
            "simulator.port", 0, 65535, [](auto& c) -> auto& { return c.simulator.port; }),
        faultKey(
            "simulator.fault", [](auto& c) -> auto& { return c.simulator.initialPlan.mode; }),
        durationKey<milliseconds>(
            "simulator.latency_ms", 0, kTenMinutesMs,
            [](auto& c) -> auto& { return c.simulator.initialPlan.latency; }),
        durationKey<seconds>(
            "simulator.retry_after_s", 0, kHourMs / 1000,
            [](auto& c) -> auto& { return c.simulator.initialPlan.retryAfter; }),
        numberKey(
            "simulator.flapping_failure_rate", 0, 1,
            [](auto& c) -> auto& { return c.simulator.initialPlan.flappingFailureRate; }),
        faultKey(
            "simulator.flapping_failure",
            [](auto& c) -> auto& { return c.simulator.initialPlan.flappingFailure; }),
        integerKey(
            "simulator.seed", 0, kMaxSeed,
            [](auto& c) -> auto& { return c.simulator.initialPlan.seed; }),

        stringKey(
            "logging.dir", 1, kMaxConfigStringLength,
            [](auto& c) -> auto& { return c.logging.dir; }),
        choiceKey(
            "logging.level", levels, [](auto& c) -> auto& { return c.logging.level; },
            eventLevelName,
            [](const QString& name) { return eventLevelFromName(name).value_or(EventLevel{}); }),

    };
    for (auto* group :
         {&loggingRotationKeys, &alertConfigKeys, &sheetsConfigKeys, &metricsConfigKeys}) {
        for (ConfigKey& key : (*group)())
            keys.push_back(std::move(key));
    }
    keys.push_back(integerKey(
        "dashboard.log_rows", 1'000, 10'000'000,
        [](auto& c) -> auto& { return c.dashboard.logRows; }));
    return keys;
}

} // namespace

const std::vector<ConfigKey>& configKeys()
{
    static const std::vector<ConfigKey> keys = buildKeys();
    return keys;
}

const ConfigKey* findConfigKey(QStringView path)
{
    const auto& keys = configKeys();
    const auto it = std::find_if(keys.begin(), keys.end(),
                                 [path](const ConfigKey& key) { return key.path == path; });
    return it == keys.end() ? nullptr : &*it;
}

bool isConfigSection(QStringView path)
{
    if (path.isEmpty())
        return true;
    return std::any_of(configKeys().begin(), configKeys().end(), [path](const ConfigKey& key) {
        return key.path.size() > path.size() && key.path.startsWith(path) &&
               key.path.at(path.size()) == QLatin1Char('.');
    });
}

QStringList configChildren(QStringView section)
{
    QStringList children;
    for (const ConfigKey& key : configKeys()) {
        QStringView rest = key.path;
        if (!section.isEmpty()) {
            if (!rest.startsWith(section) || rest.size() <= section.size() ||
                rest.at(section.size()) != QLatin1Char('.'))
                continue;
            rest = rest.mid(section.size() + 1);
        }
        const QString child = rest.left(rest.indexOf(QLatin1Char('.'))).toString();
        if (!children.contains(child))
            children.append(child);
    }
    return children;
}

} // namespace breakwater
