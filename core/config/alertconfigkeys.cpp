#include "alertconfigkeys.h"

#include "alerts/channels/emailmessage.h"
#include "alerts/silence.h"
#include "configerror.h"
#include "configkeybuilders.h"

#include <QJsonArray>
#include <QUrl>

namespace breakwater {

namespace {

using std::chrono::milliseconds;

constexpr double kMinuteMs = 60'000;
constexpr double kHourMs = 3'600'000;
constexpr double kDayMs = 86'400'000;

ConfigKey mailboxKey()
{
    ConfigKey key = stringKey(
        "alerts.email.from", 0, 512, [](auto& c) -> auto& { return c.alerts.email.from; });
    key.write = [](AppConfig& c, const QJsonValue& v) -> QString {
        const QString text = v.toString();
        if (!text.isEmpty() && !mailboxAddress(text))
            return QStringLiteral("must be an address, such as alerts@example.com or "
                                  "\"Breakwater <alerts@example.com>\"");
        c.alerts.email.from = text;
        return {};
    };
    return key;
}

ConfigKey recipientsKey()
{
    ConfigKey key = makeKey(QStringLiteral("alerts.email.to"), ConfigType::StringList, 3, 512);
    key.read = [](const AppConfig& c) {
        return QJsonValue(QJsonArray::fromStringList(c.alerts.email.to));
    };
    key.write = [](AppConfig& c, const QJsonValue& v) -> QString {
        QStringList to;
        for (const QJsonValue item : v.toArray()) {
            if (!mailboxAddress(item.toString()))
                return QStringLiteral("\"%1\" is not an address").arg(item.toString());
            to.append(item.toString());
        }
        c.alerts.email.to = to;
        return {};
    };
    return key;
}

ConfigKey silencesKey()
{
    ConfigKey key = makeKey(QStringLiteral("alerts.silences"), ConfigType::StringList, 1, 300);
    key.read = [](const AppConfig& c) {
        return QJsonValue(QJsonArray::fromStringList(c.alerts.silences));
    };
    key.write = [](AppConfig& c, const QJsonValue& v) -> QString {
        QStringList silences;
        for (const QJsonValue item : v.toArray()) {
            QString problem;
            if (!parseSilence(item.toString(), std::chrono::system_clock::now(), &problem))
                return QStringLiteral("\"%1\": %2").arg(item.toString(), problem);
            silences.append(item.toString());
        }
        c.alerts.silences = silences;
        return {};
    };
    return key;
}

} // namespace

std::vector<ConfigKey> alertConfigKeys()
{
    const QStringList http = {QStringLiteral("https"), QStringLiteral("http")};
    const QStringList smtp = {QStringLiteral("smtp"), QStringLiteral("smtps")};
    return {
        durationKey<milliseconds>(
            "alerts.group_wait_ms", 0, kHourMs,
            [](auto& c) -> auto& { return c.alerts.routing.groupWait; }),
        durationKey<milliseconds>(
            "alerts.group_interval_ms", 0, kDayMs,
            [](auto& c) -> auto& { return c.alerts.routing.groupInterval; }),
        durationKey<milliseconds>(
            "alerts.repeat_interval_ms", 1000, 30 * kDayMs,
            [](auto& c) -> auto& { return c.alerts.routing.repeatInterval; }),
        silencesKey(),

        durationKey<milliseconds>(
            "alerts.rules.stuck_after_ms", 1000, kDayMs,
            [](auto& c) -> auto& { return c.alerts.rules.stuckAfter; }),
        integerKey(
            "alerts.rules.flapping_trips", 2, 10'000,
            [](auto& c) -> auto& { return c.alerts.rules.flappingTrips; }),
        durationKey<milliseconds>(
            "alerts.rules.flapping_window_ms", 1000, kDayMs,
            [](auto& c) -> auto& { return c.alerts.rules.flappingWindow; }),
        integerKey(
            "alerts.rules.retries_exhausted_calls", 1, 1'000'000,
            [](auto& c) -> auto& { return c.alerts.rules.retriesExhaustedCalls; }),
        durationKey<milliseconds>(
            "alerts.rules.retries_exhausted_window_ms", 1000, kDayMs,
            [](auto& c) -> auto& { return c.alerts.rules.retriesExhaustedWindow; }),

        durationKey<milliseconds>(
            "alerts.delivery.timeout_ms", 100, 10 * kMinuteMs,
            [](auto& c) -> auto& { return c.alerts.delivery.timeout; }),
        durationKey<milliseconds>(
            "alerts.delivery.base_delay_ms", 1, kHourMs,
            [](auto& c) -> auto& { return c.alerts.delivery.baseDelay; }),
        durationKey<milliseconds>(
            "alerts.delivery.max_delay_ms", 1, kDayMs,
            [](auto& c) -> auto& { return c.alerts.delivery.maxDelay; }),
        durationKey<milliseconds>(
            "alerts.delivery.max_age_ms", 1000, 30 * kDayMs,
            [](auto& c) -> auto& { return c.alerts.delivery.maxAge; }),
        durationKey<milliseconds>(
            "alerts.delivery.shutdown_grace_ms", 0, kMinuteMs,
            [](auto& c) -> auto& { return c.alerts.delivery.shutdownGrace; }),
        integerKey(
            "alerts.delivery.breaker_failures", 1, 1000,
            [](auto& c) -> auto& { return c.alerts.delivery.breakerFailures; }),
        durationKey<milliseconds>(
            "alerts.delivery.breaker_open_ms", 1, kDayMs,
            [](auto& c) -> auto& { return c.alerts.delivery.breakerOpenWait; }),

        urlKey(
            "alerts.email.url", smtp, true, [](auto& c) -> auto& { return c.alerts.email.url; }),
        stringKey(
            "alerts.email.username", 0, 512,
            [](auto& c) -> auto& { return c.alerts.email.username; }),
        secretKey(
            "alerts.email.password", kSmtpPasswordEnvironmentVariable,
            [](auto& c) -> auto& { return c.alerts.email.password; }),
        mailboxKey(),
        recipientsKey(),
        booleanKey(
            "alerts.email.require_tls", [](auto& c) -> auto& { return c.alerts.email.requireTls; }),
        stringKey(
            "alerts.email.ca_file", 0, kMaxConfigStringLength,
            [](auto& c) -> auto& { return c.alerts.email.caFile; }),

        urlKey(
            "alerts.telegram.base_url", http, false,
            [](auto& c) -> auto& { return c.alerts.telegram.baseUrl; }),
        secretKey(
            "alerts.telegram.bot_token", kTelegramTokenEnvironmentVariable,
            [](auto& c) -> auto& { return c.alerts.telegram.botToken; }),
        stringKey(
            "alerts.telegram.chat_id", 0, 256,
            [](auto& c) -> auto& { return c.alerts.telegram.chatId; }),

        urlKey(
            "alerts.webhook.url", http, true,
            [](auto& c) -> auto& { return c.alerts.webhook.url; }),
        secretKey(
            "alerts.webhook.secret", kWebhookSecretEnvironmentVariable,
            [](auto& c) -> auto& { return c.alerts.webhook.secret; }),
    };
}

void applyAlertSecretsFromEnvironment(AlertSettings& alerts, const QProcessEnvironment& env)
{
    if (alerts.email.password.isEmpty())
        alerts.email.password = env.value(kSmtpPasswordEnvironmentVariable);
    if (alerts.telegram.botToken.isEmpty())
        alerts.telegram.botToken = env.value(kTelegramTokenEnvironmentVariable);
    if (alerts.webhook.secret.isEmpty())
        alerts.webhook.secret = env.value(kWebhookSecretEnvironmentVariable);
}

std::optional<ConfigError> checkAlertSettings(const AlertSettings& alerts)
{
    const EmailChannelSettings& email = alerts.email;
    if (email.isEnabled() && email.from.isEmpty())
        return ConfigError{QStringLiteral("alerts.email.from"),
                           QStringLiteral("is needed to send email (alerts.email.url is set)")};
    if (email.isEnabled() && email.to.isEmpty())
        return ConfigError{QStringLiteral("alerts.email.to"),
                           QStringLiteral("needs at least one address to send email to")};
    const TelegramChannelSettings& telegram = alerts.telegram;
    if (!telegram.botToken.isEmpty() && telegram.chatId.isEmpty())
        return ConfigError{QStringLiteral("alerts.telegram.chat_id"),
                           QStringLiteral("is needed with a bot token: the chat to write to")};
    if (telegram.botToken.contains(u'/') || telegram.botToken.contains(u' '))
        return ConfigError{QStringLiteral("alerts.telegram.bot_token"),
                           QStringLiteral("is not a bot token (it has a slash or a space)")};
    if (alerts.delivery.baseDelay > alerts.delivery.maxDelay)
        return ConfigError{QStringLiteral("alerts.delivery.base_delay_ms"),
                           QStringLiteral("must not exceed alerts.delivery.max_delay_ms")};
    return std::nullopt;
}

} // namespace breakwater
