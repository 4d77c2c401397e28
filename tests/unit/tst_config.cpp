#include "config/configloader.h"
#include "config/configprinter.h"
#include "config/configschema.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <vector>

using namespace std::chrono_literals;

namespace breakwater {

namespace {

const QString kSecret = QStringLiteral("sk_live_TOPSECRET_0123456789abcdef");

QString sourcePath(const char* relative)
{
    return QStringLiteral(BREAKWATER_SOURCE_DIR "/") + QLatin1StringView(relative);
}

// {"a":{"b":VALUE}} from "a.b" and VALUE's JSON text.
QByteArray nested(const QByteArray& path, const QByteArray& value)
{
    const QList<QByteArray> parts = path.split('.');
    QByteArray json = value;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it)
        json = "{\"" + *it + "\":" + json + '}';
    return json;
}

QJsonValue jsonValue(const char* text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + ']').array().at(0);
}

// For failure messages, which QVERIFY2 builds whether or not the check fails.
QString errorText(const ConfigLoad& load)
{
    return load.error ? load.error->text() : QString();
}

QProcessEnvironment environmentWithKey(const QString& key)
{
    QProcessEnvironment environment;
    environment.insert(QString(kApiKeyEnvironmentVariable), key);
    return environment;
}

ConfigLoad parse(const QByteArray& json)
{
    return parseConfig(json, QProcessEnvironment());
}

// A value for every key, away from its default, and how to see it arrived in the right field.
struct KeyCase
{
    const char* path;
    const char* value;
    std::function<bool(const AppConfig&)> arrived;
    // Other keys the value needs beside it (an email URL needs a sender), as a JSON object.
    const char* alongside = nullptr;
};

// b's keys into a, sections merged rather than replaced.
QJsonObject merged(QJsonObject a, const QJsonObject& b)
{
    for (auto it = b.begin(); it != b.end(); ++it) {
        if (it.value().isObject() && a.value(it.key()).isObject())
            a.insert(it.key(), merged(a.value(it.key()).toObject(), it.value().toObject()));
        else
            a.insert(it.key(), it.value());
    }
    return a;
}

QByteArray withCompanions(const KeyCase& keyCase)
{
    const QByteArray json = nested(keyCase.path, keyCase.value);
    if (!keyCase.alongside)
        return json;
    return QJsonDocument(merged(QJsonDocument::fromJson(json).object(),
                                QJsonDocument::fromJson(keyCase.alongside).object()))
        .toJson();
}

const std::vector<KeyCase>& keyCases()
{
    static const std::vector<KeyCase> cases = {
        {"services.elevenlabs.base_url", "\"https://api.elevenlabs.io\"",
         [](const AppConfig& c) {
             return c.elevenlabs.baseUrl == QUrl(QStringLiteral("https://api.elevenlabs.io"));
         }},
        {"services.elevenlabs.api_key", "\"sk_test_key\"",
         [](const AppConfig& c) {
             return c.elevenlabs.apiKey == QLatin1StringView("sk_test_key");
         }},
        {"services.elevenlabs.voice_id", "\"voice-7\"",
         [](const AppConfig& c) {
             return c.elevenlabs.voiceId == QLatin1StringView("voice-7");
         }},
        {"services.elevenlabs.model_id", "\"eleven_flash_v2_5\"",
         [](const AppConfig& c) {
             return c.elevenlabs.modelId == QLatin1StringView("eleven_flash_v2_5");
         }},
        {"services.elevenlabs.output_format", "\"pcm_16000\"",
         [](const AppConfig& c) {
             return c.elevenlabs.outputFormat == QLatin1StringView("pcm_16000");
         }},
        {"services.elevenlabs.timeout_ms", "2500",
         [](const AppConfig& c) {
             return c.elevenlabs.timeout == 2500ms;
         }},
        {"services.elevenlabs.probe_timeout_ms", "750",
         [](const AppConfig& c) {
             return c.elevenlabs.probeTimeout == 750ms;
         }},
        {"services.elevenlabs.max_response_bytes", "1048576",
         [](const AppConfig& c) {
             return c.elevenlabs.maxResponseBytes == 1048576;
         }},
        {"retry.max_retries", "7",
         [](const AppConfig& c) {
             return c.retry.maxAttempts == 8;
         }},
        {"retry.backoff", "\"decorrelated_jitter\"",
         [](const AppConfig& c) {
             return c.retry.backoff.kind == BackoffKind::DecorrelatedJitter;
         }},
        {"retry.base_delay_ms", "500",
         [](const AppConfig& c) {
             return c.retry.backoff.base == 500ms;
         }},
        {"retry.multiplier", "1.5",
         [](const AppConfig& c) {
             return c.retry.backoff.multiplier == 1.5;
         }},
        {"retry.max_delay_ms", "20000",
         [](const AppConfig& c) {
             return c.retry.backoff.cap == 20s;
         }},
        {"retry.max_retry_after_ms", "5000",
         [](const AppConfig& c) {
             return c.retry.maxRetryAfter == 5s;
         }},
        {"retry.attempt_timeout_ms", "3000",
         [](const AppConfig& c) {
             return c.retry.attemptTimeout == 3s;
         }},
        {"retry.budget.max_tokens", "25.5",
         [](const AppConfig& c) {
             return c.retry.budget.maxTokens == 25.5;
         }},
        {"retry.budget.token_ratio", "0.25",
         [](const AppConfig& c) {
             return c.retry.budget.tokenRatio == 0.25;
         }},
        {"breaker.consecutive_failures", "9",
         [](const AppConfig& c) {
             return c.breaker.consecutiveFailures == 9;
         }},
        {"breaker.failure_rate_threshold", "75.5",
         [](const AppConfig& c) {
             return c.breaker.failureRateThreshold == 75.5;
         }},
        {"breaker.slow_call_rate_threshold", "25",
         [](const AppConfig& c) {
             return c.breaker.slowCallRateThreshold == 25.0;
         }},
        {"breaker.slow_call_duration_ms", "3000",
         [](const AppConfig& c) {
             return c.breaker.slowCallDuration == 3s;
         }},
        {"breaker.window", "\"time\"",
         [](const AppConfig& c) {
             return c.breaker.windowKind == WindowKind::Time;
         }},
        {"breaker.window_size", "40",
         [](const AppConfig& c) {
             return c.breaker.windowSize == 40;
         }},
        {"breaker.minimum_calls", "15",
         [](const AppConfig& c) {
             return c.breaker.minimumCalls == 15;
         }},
        {"breaker.open_wait_ms", "20000",
         [](const AppConfig& c) {
             return c.breaker.openWait == 20s;
         }},
        {"breaker.open_wait_multiplier", "2",
         [](const AppConfig& c) {
             return c.breaker.openWaitMultiplier == 2.0;
         }},
        {"breaker.max_open_wait_ms", "600000",
         [](const AppConfig& c) {
             return c.breaker.maxOpenWait == 10min;
         }},
        {"breaker.half_open_permits", "5",
         [](const AppConfig& c) {
             return c.breaker.halfOpenPermits == 5;
         }},
        {"breaker.half_open_successes", "1",
         [](const AppConfig& c) {
             return c.breaker.halfOpenSuccesses == 1;
         }},
        {"breaker.max_half_open_wait_ms", "0",
         [](const AppConfig& c) {
             return c.breaker.maxHalfOpenWait == 0s;
         }},
        {"health.interval_ms", "500",
         [](const AppConfig& c) {
             return c.health.interval == 500ms;
         }},
        {"health.healthy_interval_ms", "0",
         [](const AppConfig& c) {
             return c.health.healthyInterval == 0s;
         }},
        {"health.timeout_ms", "1500",
         [](const AppConfig& c) {
             return c.health.timeout == 1500ms;
         }},
        {"health.close_on_success", "true",
         [](const AppConfig& c) {
             return c.health.closeOnSuccess;
         }},
        {"pipeline.queue_capacity", "50",
         [](const AppConfig& c) {
             return c.pipeline.queueCapacity == 50;
         }},
        {"pipeline.max_in_flight", "4",
         [](const AppConfig& c) {
             return c.pipeline.maxInFlight == 4;
         }},
        {"load.calls_per_second", "0.5",
         [](const AppConfig& c) {
             return c.load.callsPerSecond == 0.5;
         }},
        {"load.scripts", "[\"Hello there.\", \"Your order has shipped.\"]",
         [](const AppConfig& c) {
             return c.load.scripts == QStringList{QStringLiteral("Hello there."),
                                                  QStringLiteral("Your order has shipped.")};
         }},
        {"load.seed", "9007199254740991",
         [](const AppConfig& c) {
             return c.load.seed == 9007199254740991ULL;
         }},
        {"alerts.group_wait_ms", "500",
         [](const AppConfig& c) {
             return c.alerts.routing.groupWait == 500ms;
         }},
        {"alerts.group_interval_ms", "2000",
         [](const AppConfig& c) {
             return c.alerts.routing.groupInterval == 2s;
         }},
        {"alerts.repeat_interval_ms", "600000",
         [](const AppConfig& c) {
             return c.alerts.routing.repeatInterval == 10min;
         }},
        {"alerts.silences", "[\"breaker_flapping/elevenlabs for 2h\", \"*/elevenlabs\"]",
         [](const AppConfig& c) {
             return c.alerts.silences ==
                    QStringList{QStringLiteral("breaker_flapping/elevenlabs for 2h"),
                                QStringLiteral("*/elevenlabs")};
         }},
        {"alerts.rules.stuck_after_ms", "60000",
         [](const AppConfig& c) {
             return c.alerts.rules.stuckAfter == 1min;
         }},
        {"alerts.rules.flapping_trips", "4",
         [](const AppConfig& c) {
             return c.alerts.rules.flappingTrips == 4;
         }},
        {"alerts.rules.flapping_window_ms", "300000",
         [](const AppConfig& c) {
             return c.alerts.rules.flappingWindow == 5min;
         }},
        {"alerts.rules.retries_exhausted_calls", "10",
         [](const AppConfig& c) {
             return c.alerts.rules.retriesExhaustedCalls == 10;
         }},
        {"alerts.rules.retries_exhausted_window_ms", "30000",
         [](const AppConfig& c) {
             return c.alerts.rules.retriesExhaustedWindow == 30s;
         }},
        {"alerts.delivery.timeout_ms", "5000",
         [](const AppConfig& c) {
             return c.alerts.delivery.timeout == 5s;
         }},
        {"alerts.delivery.base_delay_ms", "500",
         [](const AppConfig& c) {
             return c.alerts.delivery.baseDelay == 500ms;
         }},
        {"alerts.delivery.max_delay_ms", "60000",
         [](const AppConfig& c) {
             return c.alerts.delivery.maxDelay == 1min;
         }},
        {"alerts.delivery.max_age_ms", "3600000",
         [](const AppConfig& c) {
             return c.alerts.delivery.maxAge == 1h;
         }},
        {"alerts.delivery.shutdown_grace_ms", "1000",
         [](const AppConfig& c) {
             return c.alerts.delivery.shutdownGrace == 1s;
         }},
        {"alerts.delivery.breaker_failures", "5",
         [](const AppConfig& c) {
             return c.alerts.delivery.breakerFailures == 5;
         }},
        {"alerts.delivery.breaker_open_ms", "10000",
         [](const AppConfig& c) {
             return c.alerts.delivery.breakerOpenWait == 10s;
         }},
        {"alerts.email.url", "\"smtp://mail.example.com:587\"",
         [](const AppConfig& c) {
             return c.alerts.email.url == QUrl(QStringLiteral("smtp://mail.example.com:587"));
         },
         R"({"alerts": {"email": {"from": "a@example.com", "to": ["b@example.com"]}}})"},
        {"alerts.email.username", "\"alerts\"",
         [](const AppConfig& c) {
             return c.alerts.email.username == QLatin1StringView("alerts");
         }},
        {"alerts.email.password", "\"hunter2-smtp\"",
         [](const AppConfig& c) {
             return c.alerts.email.password == QLatin1StringView("hunter2-smtp");
         }},
        {"alerts.email.from", "\"Breakwater <alerts@example.com>\"",
         [](const AppConfig& c) {
             return c.alerts.email.from == QLatin1StringView("Breakwater <alerts@example.com>");
         }},
        {"alerts.email.to", "[\"oncall@example.com\", \"Ops <ops@example.com>\"]",
         [](const AppConfig& c) {
             return c.alerts.email.to == QStringList{QStringLiteral("oncall@example.com"),
                                                     QStringLiteral("Ops <ops@example.com>")};
         }},
        {"alerts.email.require_tls", "false",
         [](const AppConfig& c) {
             return !c.alerts.email.requireTls;
         }},
        {"alerts.email.ca_file", "\"/etc/ssl/certs/breakwater-ca.pem\"",
         [](const AppConfig& c) {
             return c.alerts.email.caFile == QLatin1StringView("/etc/ssl/certs/breakwater-ca.pem");
         }},
        {"alerts.telegram.base_url", "\"https://telegram.example.com\"",
         [](const AppConfig& c) {
             return c.alerts.telegram.baseUrl ==
                    QUrl(QStringLiteral("https://telegram.example.com"));
         }},
        {"alerts.telegram.bot_token", "\"123456:ABC-test-token\"",
         [](const AppConfig& c) {
             return c.alerts.telegram.botToken == QLatin1StringView("123456:ABC-test-token");
         },
         R"({"alerts": {"telegram": {"chat_id": "-1001234567890"}}})"},
        {"alerts.telegram.chat_id", "\"-1001234567890\"",
         [](const AppConfig& c) {
             return c.alerts.telegram.chatId == QLatin1StringView("-1001234567890");
         }},
        {"alerts.webhook.url", "\"https://hooks.example.com/breakwater\"",
         [](const AppConfig& c) {
             return c.alerts.webhook.url ==
                    QUrl(QStringLiteral("https://hooks.example.com/breakwater"));
         }},
        {"alerts.webhook.secret", "\"whsec_dGVzdC1zZWNyZXQ=\"",
         [](const AppConfig& c) {
             return c.alerts.webhook.secret == QLatin1StringView("whsec_dGVzdC1zZWNyZXQ=");
         }},
        {"logging.max_file_bytes", "1048576",
         [](const AppConfig& c) {
             return c.logging.maxFileBytes == 1048576;
         }},
        {"logging.max_files", "2",
         [](const AppConfig& c) {
             return c.logging.maxFiles == 2;
         }},
        {"logging.flush_interval_ms", "250",
         [](const AppConfig& c) {
             return c.logging.flushInterval == 250ms;
         }},
        {"sheets.spreadsheet_id", "\"1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms\"",
         [](const AppConfig& c) {
             return c.sheets.spreadsheetId ==
                    QLatin1StringView("1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms");
         },
         R"({"sheets": {"bearer_token": "ya29.test"}})"},
        {"sheets.range", "\"Calls!A1\"",
         [](const AppConfig& c) {
             return c.sheets.range == QLatin1StringView("Calls!A1");
         }},
        {"sheets.base_url", "\"https://sheets.example.com\"",
         [](const AppConfig& c) {
             return c.sheets.baseUrl == QUrl(QStringLiteral("https://sheets.example.com"));
         }},
        {"sheets.token_url", "\"https://oauth2.example.com/token\"",
         [](const AppConfig& c) {
             return c.sheets.tokenUrl == QUrl(QStringLiteral("https://oauth2.example.com/token"));
         }},
        {"sheets.credentials_file", "\"/etc/breakwater/sheets-key.json\"",
         [](const AppConfig& c) {
             return c.sheets.credentialsFile ==
                    QLatin1StringView("/etc/breakwater/sheets-key.json");
         }},
        {"sheets.bearer_token", "\"ya29.a0-test-token\"",
         [](const AppConfig& c) {
             return c.sheets.bearerToken == QLatin1StringView("ya29.a0-test-token");
         }},
        {"sheets.events", "[\"call_failed\", \"breaker_transition\"]",
         [](const AppConfig& c) {
             return c.sheets.events == QStringList{QStringLiteral("call_failed"),
                                                   QStringLiteral("breaker_transition")};
         }},
        {"sheets.batch_interval_ms", "2000",
         [](const AppConfig& c) {
             return c.sheets.batchInterval == 2s;
         }},
        {"sheets.max_batch_rows", "100",
         [](const AppConfig& c) {
             return c.sheets.maxBatchRows == 100;
         }},
        {"sheets.queue_max_rows", "5000",
         [](const AppConfig& c) {
             return c.sheets.queueMaxRows == 5000;
         }},
        {"sheets.timeout_ms", "3000",
         [](const AppConfig& c) {
             return c.sheets.timeout == 3s;
         }},
        {"metrics.listen", "\"127.0.0.1:9464\"",
         [](const AppConfig& c) {
             return c.metrics.listen == QLatin1StringView("127.0.0.1:9464");
         }},
        {"dashboard.log_rows", "5000",
         [](const AppConfig& c) {
             return c.dashboard.logRows == 5000;
         }},
        {"simulator.port", "18080",
         [](const AppConfig& c) {
             return c.simulator.port == 18080;
         }},
        {"simulator.fault", "\"429\"",
         [](const AppConfig& c) {
             return c.simulator.initialPlan.mode == FaultMode::RateLimited;
         }},
        {"simulator.latency_ms", "800",
         [](const AppConfig& c) {
             return c.simulator.initialPlan.latency == 800ms;
         }},
        {"simulator.retry_after_s", "3",
         [](const AppConfig& c) {
             return c.simulator.initialPlan.retryAfter == 3s;
         }},
        {"simulator.flapping_failure_rate", "0.3",
         [](const AppConfig& c) {
             return c.simulator.initialPlan.flappingFailureRate == 0.3;
         }},
        {"simulator.flapping_failure", "\"reset\"",
         [](const AppConfig& c) {
             return c.simulator.initialPlan.flappingFailure == FaultMode::ConnectionReset;
         }},
        {"simulator.seed", "7",
         [](const AppConfig& c) {
             return c.simulator.initialPlan.seed == 7;
         }},
        {"logging.dir", "\"/var/log/breakwater\"",
         [](const AppConfig& c) {
             return c.logging.dir == QLatin1StringView("/var/log/breakwater");
         }},
        {"logging.level", "\"warning\"",
         [](const AppConfig& c) {
             return c.logging.level == EventLevel::Warning;
         }},
    };
    return cases;
}

} // namespace

class TestConfig final : public QObject
{
    Q_OBJECT

private slots:
    void defaultsAreTheSeeds();
    void everyKeyArrives_data();
    void everyKeyArrives();
    void everyKeyIsTestedDocumentedAndExemplified();
    void exampleFileHoldsTheDefaults();
    void integersMayBeWrittenWithPointZero();
    void faultAliasesAreAccepted();
    void rejected_data();
    void rejected();
    void firstErrorInAlphabeticalOrder();
    void apiKeyFromEnvironment_data();
    void apiKeyFromEnvironment();
    void secretNeverEchoed_data();
    void secretNeverEchoed();
    void printedConfigParsesBack();
    void printedSecretIsMaskedAndRefusedBack();
    void warnsAboutARealServerWithoutKey();
    void loadsFiles();
    void refusesUnreadableFiles();
};

void TestConfig::defaultsAreTheSeeds()
{
    const ConfigLoad load = parse("{}");
    QVERIFY(load.ok());
    QVERIFY(load.warnings.isEmpty());
    const AppConfig& c = load.config;
    QCOMPARE(c.retry.maxAttempts, 4); // the seed's 3 retries
    QCOMPARE(c.breaker.consecutiveFailures, 5);
    QVERIFY(c.elevenlabs.baseUrl.isEmpty()); // the simulator
    QVERIFY(c.elevenlabs.apiKey.isEmpty());
    QCOMPARE(c.elevenlabs.outputFormat, QStringLiteral("mp3_44100_128"));
    QCOMPARE(c.elevenlabs.timeout, 10s);
    QCOMPARE(c.retry.backoff.kind, BackoffKind::EqualJitter); // waits grow, callers spread
    QCOMPARE(c.logging.dir, QStringLiteral("logs"));
    QCOMPARE(c.simulator.port, quint16(0));
    QCOMPARE(c.simulator.initialPlan.mode, FaultMode::Healthy);
    QCOMPARE(printConfig(c), printConfig(AppConfig()));
    // Whitespace around the object is still the defaults.
    QVERIFY(parse(" \n{ }\n ").ok());
}

void TestConfig::everyKeyArrives_data()
{
    QTest::addColumn<int>("row");
    for (std::size_t i = 0; i < keyCases().size(); ++i)
        QTest::addRow("%s", keyCases()[i].path) << int(i);
}

void TestConfig::everyKeyArrives()
{
    QFETCH(int, row);
    const KeyCase& keyCase = keyCases()[std::size_t(row)];
    const ConfigLoad load = parse(withCompanions(keyCase));
    QVERIFY2(load.ok(), qPrintable(errorText(load)));
    QVERIFY(keyCase.arrived(load.config));
    // And it prints back as it was written.
    const QJsonValue printed = findConfigKey(QString::fromLatin1(keyCase.path))->read(load.config);
    QCOMPARE(printed, jsonValue(keyCase.value));
}

void TestConfig::everyKeyIsTestedDocumentedAndExemplified()
{
    QSet<QString> tested;
    for (const KeyCase& keyCase : keyCases())
        tested.insert(QString::fromLatin1(keyCase.path));
    QFile docs(sourcePath("docs/configuration.md"));
    QVERIFY(docs.open(QIODevice::ReadOnly));
    const QString documentation = QString::fromUtf8(docs.readAll());
    for (const ConfigKey& key : configKeys()) {
        QVERIFY2(tested.remove(key.path), qPrintable(key.path + QStringLiteral(" is not tested")));
        QVERIFY2(documentation.contains(QLatin1Char('`') + key.path + QLatin1Char('`')),
                 qPrintable(key.path + QStringLiteral(" is not in docs/configuration.md")));
    }
    QVERIFY2(tested.isEmpty(), "a tested key is not in the key table");
}

void TestConfig::exampleFileHoldsTheDefaults()
{
    const QString path = sourcePath("resources/breakwater.example.json");
    const ConfigLoad load = loadConfigFile(path, QProcessEnvironment());
    QVERIFY2(load.ok(), qPrintable(errorText(load)));
    QCOMPARE(printConfig(load.config), printConfig(AppConfig()));
    // Every key is spelled out, not left to its default.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(file.readAll()).object(),
             QJsonDocument::fromJson(printConfig(AppConfig())).object());
}

void TestConfig::integersMayBeWrittenWithPointZero()
{
    const ConfigLoad load = parse(R"({"retry": {"max_retries": 2.0}, "simulator": {"port": 1e3}})");
    QVERIFY2(load.ok(), qPrintable(errorText(load)));
    QCOMPARE(load.config.retry.maxAttempts, 3);
    QCOMPARE(load.config.simulator.port, quint16(1000));
}

void TestConfig::faultAliasesAreAccepted()
{
    const ConfigLoad load = parse(R"({"simulator": {"fault": "unavailable"}})");
    QVERIFY2(load.ok(), qPrintable(errorText(load)));
    QCOMPARE(load.config.simulator.initialPlan.mode, FaultMode::ServiceUnavailable);
    QVERIFY(printConfig(load.config).contains("\"fault\": \"503\""));
}

void TestConfig::rejected_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("reason");
    const auto row = [](const char* name, const QByteArray& json, const char* key,
                        const char* reason) {
        QTest::newRow(name) << json << QString::fromUtf8(key) << QString::fromUtf8(reason);
    };

    row("empty", "  \n", "", "empty; write {}");
    row("not JSON", R"({"retry": })", "", "not valid JSON: ");
    row("not JSON, line 3", "{\n  \"retry\": {\n    \"max_retries\": tru\n  }\n}", "",
        "near line 3, column 23");
    row("YAML", "retry:\n  max_retries: 3\n", "", "expected an object ({...}) at the top");
    row("top-level array", "[1, 2]", "", "expected a JSON object at the top, got an array");
    row("garbage after", "{} x", "", "garbage at the end");

    row("unknown top-level", R"({"retyr": {}})", "retyr", "unknown key (did you mean retry?)");
    row("unknown nested", R"({"breaker": {"consecutive_failure": 3}})",
        "breaker.consecutive_failure", "unknown key (did you mean breaker.consecutive_failures?)");
    row("unknown deep", R"({"retry": {"budget": {"max_token": 5}}})", "retry.budget.max_token",
        "did you mean retry.budget.max_tokens?");
    row("unknown, nothing near", R"({"load": {"colour": "red"}})", "load.colour", "unknown key");
    row("alert URL with a password", R"({"alerts": {"webhook": {"url": "https://u:p@x"}}})",
        "alerts.webhook.url", "must not hold a user name or password");
    row("email URL not smtp", R"({"alerts": {"email": {"url": "https://mail.example.com"}}})",
        "alerts.email.url", "must be a smtp or smtps URL");
    row("email without a sender",
        R"({"alerts": {"email": {"url": "smtp://mail.example.com", "to": ["a@example.com"]}}})",
        "alerts.email.from", "is needed");
    row("email recipient not an address", R"({"alerts": {"email": {"to": ["nobody"]}}})",
        "alerts.email.to", "is not an address");
    row("email sender smuggling a header",
        R"({"alerts": {"email": {"from": "a@example.com\r\nBcc: x@example.com"}}})",
        "alerts.email.from", "must be an address");
    row("telegram token without a chat", R"({"alerts": {"telegram": {"bot_token": "1:x"}}})",
        "alerts.telegram.chat_id", "is needed");
    row("silence not understood", R"({"alerts": {"silences": ["breaker_open for ever"]}})",
        "alerts.silences", "is not a duration");
    row("sheets without credentials", R"({"sheets": {"spreadsheet_id": "abc"}})",
        "sheets.credentials_file", "is needed");
    row("sheets event unknown", R"({"sheets": {"events": ["call_finished"]}})", "sheets.events",
        "is not an event type");
    row("metrics address without a port", R"({"metrics": {"listen": "127.0.0.1"}})",
        "metrics.listen", "must be <address>:<port>");
    row("metrics address not an address", R"({"metrics": {"listen": "example.com:9464"}})",
        "metrics.listen", "must be <address>:<port>");
    row("dotted name", R"({"retry.max_retries": 3})", "retry.max_retries", "nested objects");
    row("section not an object", R"({"retry": 3})", "retry", "expected an object, got a number");
    row("duplicate key", R"({"retry": {"max_retries": 3, "max_retries": 5}})", "retry.max_retries",
        "given more than once");
    row("duplicate key, escaped", R"({"retry": {"max_retries": 3, "max_\u0072etries": 5}})",
        "retry.max_retries", "given more than once");
    row("duplicate section", R"({"load": {}, "retry": {}, "load": {}})", "load",
        "given more than once");

    row("string for integer", nested("retry.max_retries", "\"3\""), "retry.max_retries",
        "expected an integer, got a string");
    row("fraction for integer", nested("retry.max_retries", "3.5"), "retry.max_retries",
        "expected an integer, got a number with a fraction");
    row("null", nested("breaker.window_size", "null"), "breaker.window_size",
        "expected an integer, got null");
    row("string for number", nested("retry.multiplier", "\"2\""), "retry.multiplier",
        "expected a number, got a string");
    row("string for boolean", nested("health.close_on_success", "\"yes\""),
        "health.close_on_success", "expected true or false, got a string");
    row("number for boolean", nested("health.close_on_success", "1"), "health.close_on_success",
        "expected true or false, got a number");
    row("number for string", nested("services.elevenlabs.voice_id", "5"),
        "services.elevenlabs.voice_id", "expected a string, got a number");
    row("string for list", nested("load.scripts", "\"hello\""), "load.scripts",
        "expected an array of strings, got a string");
    row("number in list", nested("load.scripts", "[\"a\", 1]"), "load.scripts",
        "item 2 is a number");
    row("empty script", nested("load.scripts", "[\"a\", \"\"]"), "load.scripts",
        "item 2 must not be empty");
    row("long script", nested("load.scripts", "[\"" + QByteArray(5001, 'a') + "\"]"),
        "load.scripts", "item 1 must be at most 5000 characters");

    row("max_retries above", nested("retry.max_retries", "21"), "retry.max_retries",
        "must be between 0 and 20");
    row("max_retries negative", nested("retry.max_retries", "-1"), "retry.max_retries",
        "must be between 0 and 20");
    row("window_size above", nested("breaker.window_size", "70000"), "breaker.window_size",
        "must be between 1 and 65535");
    row("timeout zero", nested("services.elevenlabs.timeout_ms", "0"),
        "services.elevenlabs.timeout_ms", "must be between 1 and 600000");
    row("max_response_bytes", nested("services.elevenlabs.max_response_bytes", "100"),
        "services.elevenlabs.max_response_bytes", "must be between 1024 and 1073741824");
    row("queue_capacity", nested("pipeline.queue_capacity", "0"), "pipeline.queue_capacity",
        "must be between 1 and 1000000");
    row("max_in_flight", nested("pipeline.max_in_flight", "10001"), "pipeline.max_in_flight",
        "must be between 1 and 10000");
    row("calls_per_second", nested("load.calls_per_second", "-0.5"), "load.calls_per_second",
        "must be between 0 and 100000");
    row("seed negative", nested("load.seed", "-1"), "load.seed", "must be between 0 and");
    row("seed too large", nested("simulator.seed", "18446744073709551615"), "simulator.seed",
        "must be between 0 and 9007199254740991");
    row("port", nested("simulator.port", "65536"), "simulator.port", "must be between 0 and 65535");
    row("flapping rate", nested("simulator.flapping_failure_rate", "1.5"),
        "simulator.flapping_failure_rate", "must be between 0 and 1");
    row("failure rate", nested("breaker.failure_rate_threshold", "101"),
        "breaker.failure_rate_threshold", "must be between 0 and 100");
    row("token ratio zero", nested("retry.budget.token_ratio", "0"), "retry.budget.token_ratio",
        "must be above 0");

    row("backoff", nested("retry.backoff", "\"exponentiall\""), "retry.backoff",
        "must be one of: constant, linear, exponential, full_jitter, equal_jitter, "
        "decorrelated_jitter");
    row("window", nested("breaker.window", "\"sliding\""), "breaker.window",
        "must be one of: count, time");
    row("output format", nested("services.elevenlabs.output_format", "\"mp3\""),
        "services.elevenlabs.output_format", "must be one of: mp3_44100_64");
    row("log level", nested("logging.level", "\"verbose\""), "logging.level",
        "must be one of: debug, info, warning, error, critical");
    row("fault mode", nested("simulator.fault", "\"404\""), "simulator.fault",
        "must be a fault mode: healthy, 503");
    row("flapping as healthy", nested("simulator.flapping_failure", "\"healthy\""),
        "simulator.flapping_failure", "must be a failure mode");
    row("empty voice", nested("services.elevenlabs.voice_id", "\"\""),
        "services.elevenlabs.voice_id", "must not be empty");
    row("empty log dir", nested("logging.dir", "\"\""), "logging.dir", "must not be empty");

    const char* urlReason = "must be an http or https URL with a host";
    row("ftp URL", nested("services.elevenlabs.base_url", "\"ftp://example.com\""),
        "services.elevenlabs.base_url", urlReason);
    row("URL without scheme", nested("services.elevenlabs.base_url", "\"localhost:8080\""),
        "services.elevenlabs.base_url", urlReason);
    row("URL without host", nested("services.elevenlabs.base_url", "\"http://\""),
        "services.elevenlabs.base_url", urlReason);
    row("URL with password", nested("services.elevenlabs.base_url", "\"https://u:p@example.com\""),
        "services.elevenlabs.base_url", "must not hold a user name or password");
    row("URL with query", nested("services.elevenlabs.base_url", "\"https://example.com/?a=1\""),
        "services.elevenlabs.base_url", "must not have a query");

    row("minimum_calls above window_size",
        R"({"breaker": {"window_size": 20, "minimum_calls": 30}})", "breaker.minimum_calls",
        "must not exceed window_size");
    row("time window too long", R"({"breaker": {"window": "time", "window_size": 4000}})",
        "breaker.window_size", "must be between 1 and 3600");
    row("half_open_successes above permits",
        R"({"breaker": {"half_open_permits": 3, "half_open_successes": 4}})",
        "breaker.half_open_successes", "must be between 1 and half_open_permits");
    row("max_open_wait below open_wait", nested("breaker.max_open_wait_ms", "1000"),
        "breaker.max_open_wait_ms", "must be at least open_wait_ms");
    row("no threshold", R"({"breaker": {"consecutive_failures": 0, "failure_rate_threshold": 0}})",
        "breaker", "at least one of");
    row("slow calls without duration",
        R"({"breaker": {"slow_call_rate_threshold": 50, "slow_call_duration_ms": 0}})",
        "breaker.slow_call_duration_ms", "must be positive");
    row("max_delay below base", nested("retry.max_delay_ms", "100"), "retry.max_delay_ms",
        "must be at least base_delay_ms");
    row("zero base for jitter", nested("retry.base_delay_ms", "0"), "retry.base_delay_ms",
        "must be positive for equal_jitter backoff");
    row("masked key pasted back", nested("services.elevenlabs.api_key", "\"********\""),
        "services.elevenlabs.api_key", "holds the mask printed in place of the key");
}

void TestConfig::rejected()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, key);
    QFETCH(QString, reason);
    const ConfigLoad load = parse(json);
    QVERIFY(!load.ok());
    QCOMPARE(load.error->key, key);
    QVERIFY2(load.error->reason.contains(reason), qPrintable(errorText(load)));
    QCOMPARE(load.error->text(),
             key.isEmpty() ? load.error->reason : key + QStringLiteral(": ") + load.error->reason);
    // Nothing half-applied.
    QCOMPARE(printConfig(load.config), printConfig(AppConfig()));
}

void TestConfig::firstErrorInAlphabeticalOrder()
{
    // Sections and keys alike are checked alphabetically, depth first.
    const ConfigLoad load = parse(
        R"({"retry": {"max_retries": 99}, "breaker": {"window_size": 0, "minimum_calls": -1}})");
    QVERIFY(!load.ok());
    QCOMPARE(load.error->key, QStringLiteral("breaker.minimum_calls"));
    // Per-key checks all come before rules across keys.
    const ConfigLoad crossed =
        parse(R"({"breaker": {"minimum_calls": 30}, "retry": {"max_retries": 99}})");
    QCOMPARE(crossed.error->key, QStringLiteral("retry.max_retries"));
}

void TestConfig::apiKeyFromEnvironment_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("environmentKey"); // null: variable not set
    QTest::addColumn<QString>("expected");
    const QString fromFile = QStringLiteral("key-from-file");
    const QString fromEnvironment = QStringLiteral("key-from-environment");
    QTest::newRow("absent, environment set")
        << QByteArray("{}") << fromEnvironment << fromEnvironment;
    QTest::newRow("empty, environment set")
        << nested("services.elevenlabs.api_key", "\"\"") << fromEnvironment << fromEnvironment;
    QTest::newRow("file wins over environment")
        << nested("services.elevenlabs.api_key", "\"key-from-file\"") << fromEnvironment
        << fromFile;
    QTest::newRow("neither") << QByteArray("{}") << QString() << QString();
}

void TestConfig::apiKeyFromEnvironment()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, environmentKey);
    QFETCH(QString, expected);
    const QProcessEnvironment environment =
        environmentKey.isNull() ? QProcessEnvironment() : environmentWithKey(environmentKey);
    const ConfigLoad load = parseConfig(json, environment);
    QVERIFY(load.ok());
    QCOMPARE(load.config.elevenlabs.apiKey, expected);
}

void TestConfig::secretNeverEchoed_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("fromEnvironment");
    const QByteArray secret = kSecret.toUtf8();
    const QByteArray quoted = '"' + secret + '"';
    QTest::newRow("key as array") << nested("services.elevenlabs.api_key", '[' + quoted + ']')
                                  << false;
    QTest::newRow("key as object")
        << nested("services.elevenlabs.api_key", "{\"k\":" + quoted + '}') << false;
    QTest::newRow("key too long") << nested("services.elevenlabs.api_key",
                                            '"' + secret.repeated(200) + '"')
                                  << false;
    QTest::newRow("key misspelt") << nested("services.elevenlabs.api_keys", quoted) << false;
    QTest::newRow("key in the URL") << nested("services.elevenlabs.base_url", quoted) << false;
    QTest::newRow("key in the URL's password")
        << nested("services.elevenlabs.base_url", "\"https://user:" + secret + "@example.com\"")
        << false;
    QTest::newRow("key in the voice")
        << nested("services.elevenlabs.voice_id", '"' + secret.repeated(20) + '"') << false;
    QTest::newRow("syntax error after the key")
        << "{\"services\":{\"elevenlabs\":{\"api_key\":" + quoted + " x}}}" << false;
    QTest::newRow("another error, key in file")
        << "{\"services\":{\"elevenlabs\":{\"api_key\":" + quoted +
               "}},\"breaker\":{\"window_size\":0}}"
        << false;
    QTest::newRow("cross-key error, key in environment")
        << QByteArray(R"({"breaker": {"minimum_calls": 30}})") << true;
    QTest::newRow("valid, key in file") << nested("services.elevenlabs.api_key", quoted) << false;
    QTest::newRow("valid, key in environment")
        << nested("services.elevenlabs.base_url", "\"https://api.elevenlabs.io\"") << true;
}

void TestConfig::secretNeverEchoed()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, fromEnvironment);
    const ConfigLoad load =
        parseConfig(json, fromEnvironment ? environmentWithKey(kSecret) : QProcessEnvironment());
    if (load.error) {
        QVERIFY2(!load.error->text().contains(QStringView(kSecret).left(12)),
                 "the error echoes the key");
    } else {
        QVERIFY(!load.config.elevenlabs.apiKey.isEmpty());
        const QByteArray printed = printConfig(load.config);
        QVERIFY(!printed.contains(kSecret.left(12).toUtf8()));
        QVERIFY(printed.contains("\"api_key\": \"********\""));
    }
    for (const QString& warning : load.warnings)
        QVERIFY(!warning.contains(QStringView(kSecret).left(12)));
}

void TestConfig::printedConfigParsesBack()
{
    // Every key away from its default at once (minus the key, which prints masked).
    QJsonObject everything;
    for (const KeyCase& keyCase : keyCases()) {
        if (!findConfigKey(QString::fromLatin1(keyCase.path))->secret)
            insertAtPath(everything, QString::fromLatin1(keyCase.path), jsonValue(keyCase.value));
    }
    const ConfigLoad load = parse(QJsonDocument(everything).toJson());
    QVERIFY2(load.ok(), qPrintable(errorText(load)));
    for (const KeyCase& keyCase : keyCases()) {
        if (!findConfigKey(QString::fromLatin1(keyCase.path))->secret)
            QVERIFY2(keyCase.arrived(load.config), keyCase.path);
    }

    const QByteArray printed = printConfig(load.config);
    const ConfigLoad again = parse(printed);
    QVERIFY2(again.ok(), qPrintable(errorText(again)));
    QCOMPARE(printConfig(again.config), printed);
    for (const ConfigKey& key : configKeys())
        QCOMPARE(key.read(again.config), key.read(load.config));

    const ConfigLoad defaults = parse(printConfig(AppConfig()));
    QVERIFY(defaults.ok());
    QCOMPARE(printConfig(defaults.config), printConfig(AppConfig()));
}

void TestConfig::printedSecretIsMaskedAndRefusedBack()
{
    AppConfig config;
    QVERIFY(printConfig(config).contains("\"api_key\": \"\""));
    config.elevenlabs.apiKey = kSecret;
    const QByteArray printed = printConfig(config);
    QVERIFY(!printed.contains(kSecret.toUtf8()));
    QVERIFY(printed.contains("\"api_key\": \"********\""));
    const ConfigLoad again = parse(printed);
    QVERIFY(!again.ok());
    QCOMPARE(again.error->key, QStringLiteral("services.elevenlabs.api_key"));
}

void TestConfig::warnsAboutARealServerWithoutKey()
{
    const QByteArray json = nested("services.elevenlabs.base_url", "\"https://api.elevenlabs.io\"");
    const ConfigLoad withoutKey = parse(json);
    QVERIFY(withoutKey.ok());
    QCOMPARE(withoutKey.warnings.size(), 1);
    QVERIFY(withoutKey.warnings.first().startsWith(QStringLiteral("services.elevenlabs.api_key")));
    QVERIFY(parseConfig(json, environmentWithKey(QStringLiteral("k"))).warnings.isEmpty());
}

void TestConfig::loadsFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(QStringLiteral("breakwater.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"retry": {"max_retries": 1}})");
    file.close();
    const ConfigLoad load = loadConfigFile(file.fileName(), QProcessEnvironment());
    QVERIFY(load.ok());
    QCOMPARE(load.config.retry.maxAttempts, 2);
}

void TestConfig::refusesUnreadableFiles()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString missing = dir.filePath(QStringLiteral("missing.json"));
    ConfigLoad load = loadConfigFile(missing, QProcessEnvironment());
    QVERIFY(!load.ok());
    QVERIFY(load.error->text().contains(missing));
    QVERIFY(load.error->text().contains(QStringLiteral("does not exist")));

    load = loadConfigFile(dir.path(), QProcessEnvironment());
    QVERIFY(!load.ok());
    QVERIFY(load.error->text().contains(QStringLiteral("is a directory")));

    // Sparse: 17 MiB on paper, nothing on disk.
    QFile huge(dir.filePath(QStringLiteral("huge.json")));
    QVERIFY(huge.open(QIODevice::WriteOnly));
    QVERIFY(huge.resize(qint64(17) * 1024 * 1024));
    huge.close();
    load = loadConfigFile(huge.fileName(), QProcessEnvironment());
    QVERIFY(!load.ok());
    QVERIFY(load.error->text().contains(QStringLiteral("larger than 16 MiB")));

    QFile empty(dir.filePath(QStringLiteral("empty.json")));
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();
    load = loadConfigFile(empty.fileName(), QProcessEnvironment());
    QVERIFY(!load.ok());
    QVERIFY(load.error->text().contains(QStringLiteral("empty")));
}

} // namespace breakwater

QTEST_GUILESS_MAIN(breakwater::TestConfig)
#include "tst_config.moc"
