#include "telemetryconfigkeys.h"

#include "configkeybuilders.h"
#include "events/event.h"

#include <QHostAddress>
#include <QJsonArray>

namespace breakwater {

namespace {

using std::chrono::milliseconds;

constexpr double kMinuteMs = 60'000;
constexpr double kHourMs = 3'600'000;

ConfigKey sheetsEventsKey()
{
    ConfigKey key = makeKey(QStringLiteral("sheets.events"), ConfigType::StringList, 1, 64);
    key.read = [](const AppConfig& c) {
        return QJsonValue(QJsonArray::fromStringList(c.sheets.events));
    };
    key.write = [](AppConfig& c, const QJsonValue& v) -> QString {
        QStringList events;
        for (const QJsonValue item : v.toArray()) {
            if (!eventTypeFromName(item.toString()))
                return QStringLiteral("\"%1\" is not an event type (such as call_failed)")
                    .arg(item.toString());
            events.append(item.toString());
        }
        c.sheets.events = events;
        return {};
    };
    return key;
}

ConfigKey listenKey()
{
    ConfigKey key = stringKey(
        "metrics.listen", 0, 300, [](auto& c) -> auto& { return c.metrics.listen; });
    key.write = [](AppConfig& c, const QJsonValue& v) -> QString {
        const QString text = v.toString();
        if (!text.isEmpty()) {
            QString host;
            quint16 port = 0;
            if (QString problem = parseListenAddress(text, &host, &port); !problem.isEmpty())
                return problem;
        }
        c.metrics.listen = text;
        return {};
    };
    return key;
}

} // namespace

QString parseListenAddress(const QString& text, QString* host, quint16* port)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint number = colon > 0 ? text.mid(colon + 1).toUInt(&ok) : 0;
    QString name = colon > 0 ? text.left(colon) : QString();
    if (name.startsWith(QLatin1Char('[')) && name.endsWith(QLatin1Char(']')))
        name = name.mid(1, name.size() - 2);
    if (!ok || number > 65535 || name.isEmpty() ||
        (name != u"localhost" && QHostAddress(name).isNull()))
        return QStringLiteral("must be <address>:<port>, such as 127.0.0.1:9464 (port 0: any "
                              "free port)");
    *host = name;
    *port = quint16(number);
    return {};
}

std::vector<ConfigKey> loggingRotationKeys()
{
    return {
        integerKey(
            "logging.max_file_bytes", 64 * 1024, 1024.0 * 1024 * 1024 * 1024,
            [](auto& c) -> auto& { return c.logging.maxFileBytes; }),
        integerKey(
            "logging.max_files", 0, 1000, [](auto& c) -> auto& { return c.logging.maxFiles; }),
        durationKey<milliseconds>(
            "logging.flush_interval_ms", 10, kMinuteMs,
            [](auto& c) -> auto& { return c.logging.flushInterval; }),
    };
}

std::vector<ConfigKey> sheetsConfigKeys()
{
    const QStringList http = {QStringLiteral("https"), QStringLiteral("http")};
    return {
        stringKey(
            "sheets.spreadsheet_id", 0, 200,
            [](auto& c) -> auto& { return c.sheets.spreadsheetId; }),
        stringKey(
            "sheets.range", 1, 200, [](auto& c) -> auto& { return c.sheets.range; }),
        urlKey(
            "sheets.base_url", http, false, [](auto& c) -> auto& { return c.sheets.baseUrl; }),
        urlKey(
            "sheets.token_url", http, false, [](auto& c) -> auto& { return c.sheets.tokenUrl; }),
        stringKey(
            "sheets.credentials_file", 0, kMaxConfigStringLength,
            [](auto& c) -> auto& { return c.sheets.credentialsFile; }),
        secretKey(
            "sheets.bearer_token", kSheetsTokenEnvironmentVariable,
            [](auto& c) -> auto& { return c.sheets.bearerToken; }),
        sheetsEventsKey(),
        durationKey<milliseconds>(
            "sheets.batch_interval_ms", 100, kHourMs,
            [](auto& c) -> auto& { return c.sheets.batchInterval; }),
        integerKey(
            "sheets.max_batch_rows", 1, 10'000,
            [](auto& c) -> auto& { return c.sheets.maxBatchRows; }),
        integerKey(
            "sheets.queue_max_rows", 100, 100'000'000,
            [](auto& c) -> auto& { return c.sheets.queueMaxRows; }),
        durationKey<milliseconds>(
            "sheets.timeout_ms", 100, 10 * kMinuteMs,
            [](auto& c) -> auto& { return c.sheets.timeout; }),
    };
}

std::vector<ConfigKey> metricsConfigKeys()
{
    return {listenKey()};
}

void applyTelemetrySecretsFromEnvironment(SheetsSettings& sheets, const QProcessEnvironment& env)
{
    if (sheets.bearerToken.isEmpty())
        sheets.bearerToken = env.value(kSheetsTokenEnvironmentVariable);
}

std::optional<ConfigError> checkTelemetrySettings(const AppConfig& config)
{
    const SheetsSettings& sheets = config.sheets;
    if (sheets.isEnabled() && sheets.credentialsFile.isEmpty() && sheets.bearerToken.isEmpty())
        return ConfigError{QStringLiteral("sheets.credentials_file"),
                           QStringLiteral("or sheets.bearer_token (or %1) is needed to write to "
                                          "the spreadsheet")
                               .arg(kSheetsTokenEnvironmentVariable)};
    if (sheets.maxBatchRows > sheets.queueMaxRows)
        return ConfigError{QStringLiteral("sheets.max_batch_rows"),
                           QStringLiteral("must not exceed sheets.queue_max_rows")};
    return std::nullopt;
}

} // namespace breakwater
