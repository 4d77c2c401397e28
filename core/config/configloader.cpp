#include "configloader.h"

#include "alertconfigkeys.h"
#include "configschema.h"
#include "configvalidation.h"
#include "jsonduplicatekeys.h"
#include "telemetryconfigkeys.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <numeric>
#include <vector>

namespace breakwater {

namespace {

// Far above any real config (the largest is a long list of scripts), far below trouble.
constexpr qint64 kMaxConfigBytes = qint64(16) * 1024 * 1024;

qsizetype editDistance(QStringView a, QStringView b)
{
    std::vector<qsizetype> row(static_cast<std::size_t>(b.size()) + 1);
    std::iota(row.begin(), row.end(), qsizetype(0));
    for (qsizetype i = 1; i <= a.size(); ++i) {
        qsizetype diagonal = row[0];
        row[0] = i;
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const auto column = static_cast<std::size_t>(j);
            const qsizetype substitution = diagonal + (a.at(i - 1) == b.at(j - 1) ? 0 : 1);
            diagonal = row[column];
            row[column] = std::min({row[column] + 1, row[column - 1] + 1, substitution});
        }
    }
    // Indexed rather than row.back(): GCC's optimiser cannot see the vector is never empty and
    // warns of a null dereference.
    return row[static_cast<std::size_t>(b.size())];
}

QString joinPath(const QString& section, const QString& name)
{
    return section.isEmpty() ? name : section % QLatin1Char('.') % name;
}

// "unknown key", with the nearest name of the same section when one is a typo away.
QString unknownKeyReason(const QString& section, const QString& name)
{
    if (name.contains(QLatin1Char('.')))
        return QStringLiteral("unknown key (sections are nested objects, not dotted names)");
    QString nearest;
    qsizetype nearestDistance = 3;
    for (const QString& candidate : configChildren(section)) {
        const qsizetype distance = editDistance(name, candidate);
        if (distance < nearestDistance && distance < name.size()) {
            nearest = candidate;
            nearestDistance = distance;
        }
    }
    if (nearest.isEmpty())
        return QStringLiteral("unknown key");
    return QStringLiteral("unknown key (did you mean %1?)").arg(joinPath(section, nearest));
}

bool startsLikeJsonContainer(const QByteArray& json)
{
    static const QByteArray byteOrderMark("\xEF\xBB\xBF");
    const QByteArray text = json.startsWith(byteOrderMark) ? json.mid(3).trimmed() : json.trimmed();
    return text.startsWith('{') || text.startsWith('[');
}

QString describeTopLevel(const QJsonDocument& document)
{
    if (document.isArray())
        return QStringLiteral("an array");
    return QStringLiteral("a single value");
}

// "line 3, column 14": Qt reports a byte offset, people read lines. Qt's offset lies past the
// whitespace that follows the bad token; stepping back over it lands on the token's line.
QString describeOffset(const QByteArray& json, int offset)
{
    qsizetype end = std::clamp<qsizetype>(offset, 0, json.size());
    while (end > 0 && QChar::isSpace(static_cast<uchar>(json.at(end - 1))))
        --end;
    const QByteArray before = json.left(end);
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    return QStringLiteral("line %1, column %2")
        .arg(before.count('\n') + 1)
        .arg(QString::fromUtf8(before.mid(lineStart)).size() + 1);
}

std::optional<ConfigError> readSection(const QJsonObject& object, const QString& section,
                                       AppConfig& config)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString path = joinPath(section, it.key());
        // Checked first: a dotted name would otherwise match a nested key's path.
        if (it.key().contains(QLatin1Char('.')) || it.key().isEmpty())
            return ConfigError{path, unknownKeyReason(section, it.key())};
        if (const ConfigKey* key = findConfigKey(path)) {
            if (QString problem = checkConfigValue(*key, it.value()); !problem.isEmpty())
                return ConfigError{path, problem};
            if (QString problem = key->write(config, it.value()); !problem.isEmpty())
                return ConfigError{path, problem};
        } else if (isConfigSection(path)) {
            if (!it.value().isObject())
                return ConfigError{
                    path,
                    QStringLiteral("expected an object, got %1").arg(describeJsonType(it.value()))};
            if (auto error = readSection(it.value().toObject(), path, config))
                return error;
        } else {
            return ConfigError{path, unknownKeyReason(section, it.key())};
        }
    }
    return std::nullopt;
}

QStringList warningsFor(const AppConfig& config)
{
    QStringList warnings;
    if (!config.elevenlabs.baseUrl.isEmpty() && config.elevenlabs.apiKey.isEmpty())
        warnings.append(QStringLiteral("services.elevenlabs.api_key: not set (nor %1) while "
                                       "base_url points at a server: it will likely refuse "
                                       "every request")
                            .arg(kApiKeyEnvironmentVariable));
    const EmailChannelSettings& email = config.alerts.email;
    if (email.isEnabled() && !email.username.isEmpty() && email.password.isEmpty())
        warnings.append(QStringLiteral("alerts.email.password: not set (nor %1) while a username "
                                       "is: the mail server will likely refuse the login")
                            .arg(kSmtpPasswordEnvironmentVariable));
    return warnings;
}

ConfigError tooLarge(const QString& path)
{
    return {{},
            QStringLiteral("config file %1 is larger than %2 MiB")
                .arg(path)
                .arg(kMaxConfigBytes / (qint64(1024) * 1024))};
}

ConfigLoad failed(ConfigError error)
{
    ConfigLoad load;
    load.error = std::move(error);
    return load;
}

} // namespace

ConfigLoad parseConfig(const QByteArray& json, const QProcessEnvironment& environment)
{
    if (json.trimmed().isEmpty())
        return failed({{}, QStringLiteral("the config is empty; write {} to use the defaults")});
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    // Qt calls a bare value at the top (YAML, say, or "3") an "illegal value": say what is wanted.
    if (parseError.error != QJsonParseError::NoError && !startsLikeJsonContainer(json))
        return failed(
            {{}, QStringLiteral("not valid JSON: expected an object ({...}) at the top")});
    if (parseError.error != QJsonParseError::NoError)
        return failed(
            {{},
             QStringLiteral("not valid JSON: %1 near %2")
                 .arg(parseError.errorString(), describeOffset(json, parseError.offset))});
    if (!document.isObject())
        return failed({{},
                       QStringLiteral("expected a JSON object at the top, got %1")
                           .arg(describeTopLevel(document))});
    if (const auto duplicate = findDuplicateJsonKey(json))
        return failed({*duplicate, QStringLiteral("given more than once; keep one")});

    ConfigLoad load;
    if (auto error = readSection(document.object(), {}, load.config))
        return failed(std::move(*error));
    if (load.config.elevenlabs.apiKey.isEmpty())
        load.config.elevenlabs.apiKey = environment.value(kApiKeyEnvironmentVariable);
    applyAlertSecretsFromEnvironment(load.config.alerts, environment);
    applyTelemetrySecretsFromEnvironment(load.config.sheets, environment);
    if (auto error = checkConfigCombinations(load.config))
        return failed(std::move(*error));
    if (auto error = checkAlertSettings(load.config.alerts))
        return failed(std::move(*error));
    if (auto error = checkTelemetrySettings(load.config))
        return failed(std::move(*error));
    load.warnings = warningsFor(load.config);
    return load;
}

ConfigLoad loadConfigFile(const QString& path, const QProcessEnvironment& environment)
{
    const QFileInfo info(path);
    if (!info.exists())
        return failed({{}, QStringLiteral("config file %1 does not exist").arg(path)});
    if (info.isDir())
        return failed({{}, QStringLiteral("config file %1 is a directory").arg(path)});
    if (info.size() > kMaxConfigBytes)
        return failed(tooLarge(path));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failed(
            {{}, QStringLiteral("cannot read config file %1: %2").arg(path, file.errorString())});
    // Read no more than the limit even if the file grew after the size check.
    const QByteArray json = file.read(kMaxConfigBytes + 1);
    if (json.size() > kMaxConfigBytes)
        return failed(tooLarge(path));
    return parseConfig(json, environment);
}

ConfigLoad loadConfigOrDefaults(const QString& path, const QProcessEnvironment& environment)
{
    if (path.isEmpty())
        return parseConfig(QByteArrayLiteral("{}"), environment);
    return loadConfigFile(path, environment);
}

} // namespace breakwater
