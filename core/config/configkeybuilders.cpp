#include "configkeybuilders.h"

#include <QJsonArray>
#include <QUrl>

namespace breakwater {

namespace {
constexpr double kMaxScriptLength = 5000;
} // namespace

// The file counts retries; the core counts attempts, the first one included.
ConfigKey maxRetriesKey()
{
    ConfigKey key = makeKey(QStringLiteral("retry.max_retries"), ConfigType::Integer, 0, 20);
    key.read = [](const AppConfig& c) {
        return QJsonValue(c.retry.maxAttempts - 1);
    };
    key.write = [](AppConfig& c, const QJsonValue& v) {
        c.retry.maxAttempts = static_cast<int>(v.toInteger()) + 1;
        return QString();
    };
    return key;
}

ConfigKey baseUrlKey()
{
    ConfigKey key =
        makeKey(QStringLiteral("services.elevenlabs.base_url"), ConfigType::String, 0, 2048);
    key.read = [](const AppConfig& c) {
        return QJsonValue(c.elevenlabs.baseUrl.toString());
    };
    key.write = [](AppConfig& c, const QJsonValue& v) -> QString {
        const QString text = v.toString();
        if (text.isEmpty()) {
            c.elevenlabs.baseUrl = QUrl();
            return {};
        }
        const QUrl url(text, QUrl::StrictMode);
        const QString scheme = url.scheme();
        if (!url.isValid() || url.host().isEmpty() ||
            (scheme != QLatin1StringView("http") && scheme != QLatin1StringView("https")))
            return QStringLiteral("must be an http or https URL with a host, or empty to start "
                                  "the simulator");
        // The URL shows up in logs and the window: a password in it would leak.
        if (!url.userInfo().isEmpty())
            return QStringLiteral("must not hold a user name or password (the key goes in "
                                  "api_key)");
        if (url.hasQuery() || url.hasFragment())
            return QStringLiteral("must not have a query or a fragment");
        c.elevenlabs.baseUrl = url;
        return {};
    };
    return key;
}

ConfigKey apiKeyKey()
{
    ConfigKey key = makeKey(QStringLiteral("services.elevenlabs.api_key"), ConfigType::String, 0,
                            kMaxConfigStringLength);
    key.secret = true;
    key.read = [](const AppConfig& c) {
        return QJsonValue(c.elevenlabs.apiKey);
    };
    key.write = [](AppConfig& c, const QJsonValue& v) -> QString {
        if (v.toString() == kMaskedSecret)
            return QStringLiteral("holds the mask printed in place of the key; put the real key "
                                  "here or set %1")
                .arg(kApiKeyEnvironmentVariable);
        c.elevenlabs.apiKey = v.toString();
        return {};
    };
    return key;
}

ConfigKey scriptsKey()
{
    ConfigKey key =
        makeKey(QStringLiteral("load.scripts"), ConfigType::StringList, 1, kMaxScriptLength);
    key.read = [](const AppConfig& c) {
        return QJsonValue(QJsonArray::fromStringList(c.load.scripts));
    };
    key.write = [](AppConfig& c, const QJsonValue& v) {
        c.load.scripts.clear();
        for (const QJsonValue item : v.toArray())
            c.load.scripts.append(item.toString());
        return QString();
    };
    return key;
}

} // namespace breakwater
