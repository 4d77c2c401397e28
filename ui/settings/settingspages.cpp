#include "settingspages.h"

namespace breakwater {

namespace {

SettingsEntry entry(const char* path, const char* label, const char* hint = "")
{
    return {QString::fromLatin1(path), QString::fromUtf8(label), QString::fromUtf8(hint), false};
}

SettingsPage servicePage()
{
    return {QStringLiteral("Service"),
            {{QStringLiteral("ElevenLabs"),
              {entry("services.elevenlabs.base_url", "Base URL"),
               entry("services.elevenlabs.api_key", "API key"),
               entry("services.elevenlabs.voice_id", "Voice ID"),
               entry("services.elevenlabs.model_id", "Model ID"),
               entry("services.elevenlabs.output_format", "Output format")}},
             {QStringLiteral("Limits"),
              {entry("services.elevenlabs.timeout_ms", "Request timeout", "ms"),
               entry("services.elevenlabs.probe_timeout_ms", "Probe request timeout", "ms"),
               entry("services.elevenlabs.max_response_bytes", "Largest response", "bytes")}}}};
}

SettingsPage retryPage()
{
    return {QStringLiteral("Retry"),
            {{QStringLiteral("Retries"),
              {entry("retry.max_retries", "Retries after the first attempt"),
               entry("retry.max_retry_after_ms", "Longest Retry-After honoured", "ms"),
               entry("retry.attempt_timeout_ms", "Attempt watchdog", "ms, 0: off")}},
             {QStringLiteral("Backoff"),
              {entry("retry.backoff", "Backoff and jitter"),
               entry("retry.base_delay_ms", "Base delay", "ms"),
               entry("retry.multiplier", "Multiplier"),
               entry("retry.max_delay_ms", "Longest delay", "ms")}},
             {QStringLiteral("Retry budget"),
              {entry("retry.budget.max_tokens", "Tokens in the bucket"),
               entry("retry.budget.token_ratio", "Tokens refunded per success")}}}};
}

SettingsPage breakerPage()
{
    return {QStringLiteral("Circuit breaker"),
            {{QStringLiteral("Tripping"),
              {entry("breaker.consecutive_failures", "Consecutive failures", "0: off"),
               entry("breaker.failure_rate_threshold", "Failure-rate threshold", "%, 0: off"),
               entry("breaker.slow_call_rate_threshold", "Slow-call rate threshold", "%, 0: off"),
               entry("breaker.slow_call_duration_ms", "A call is slow from", "ms")}},
             {QStringLiteral("Window"),
              {entry("breaker.window", "Window kind"),
               entry("breaker.window_size", "Window size", "calls or seconds"),
               entry("breaker.minimum_calls", "Minimum calls before a rate counts")}},
             {QStringLiteral("Recovery"),
              {entry("breaker.open_wait_ms", "Open wait", "ms"),
               entry("breaker.open_wait_multiplier", "Open-wait multiplier"),
               entry("breaker.max_open_wait_ms", "Longest open wait", "ms"),
               entry("breaker.half_open_permits", "Half-open trial calls"),
               entry("breaker.half_open_successes", "Successes needed to close"),
               entry("breaker.max_half_open_wait_ms", "Longest half-open wait", "ms, 0: none")}}}};
}

SettingsPage healthPage()
{
    return {QStringLiteral("Health checks"),
            {{QStringLiteral("Probes"),
              {entry("health.interval_ms", "Interval while open or half-open", "ms"),
               entry("health.healthy_interval_ms", "Interval while closed", "ms, 0: none"),
               entry("health.timeout_ms", "Probe timeout", "ms"),
               entry("health.close_on_success", "Close at once on a good probe")}}}};
}

SettingsPage loadPage()
{
    return {
        QStringLiteral("Load"),
        {{QStringLiteral("Load generator"), {entry("load.calls_per_second", "Calls per second")}},
         {QStringLiteral("Pipeline"),
          {entry("pipeline.queue_capacity", "Calls waiting at most"),
           entry("pipeline.max_in_flight", "Calls in flight at most")}}}};
}

SettingsPage loggingPage()
{
    SettingsEntry directory = entry("logging.dir", "Directory");
    directory.readOnly = true;
    return {QStringLiteral("Logging"),
            {{QStringLiteral("Log"), {entry("logging.level", "Lowest level logged"), directory}}}};
}

} // namespace

const std::vector<SettingsPage>& settingsPages()
{
    static const std::vector<SettingsPage> pages = {servicePage(), retryPage(), breakerPage(),
                                                    healthPage(),  loadPage(),  loggingPage()};
    return pages;
}

QString formLabel(const SettingsEntry& entry)
{
    if (entry.hint.isEmpty())
        return entry.label;
    return entry.label % QLatin1StringView(" (") % entry.hint % QLatin1Char(')');
}

} // namespace breakwater
