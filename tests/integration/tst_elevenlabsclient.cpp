#include "scriptedhttpserver.h"
#include "services/elevenlabs/elevenlabsclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

#include <chrono>
#include <memory>
#include <vector>

using namespace std::chrono_literals;
using namespace breakwater;
using breakwater::testing::HeaderList;
using breakwater::testing::RecordedRequest;
using breakwater::testing::ScriptedHttpServer;
using breakwater::testing::ScriptedResponse;

Q_DECLARE_METATYPE(breakwater::ErrorKind)
Q_DECLARE_METATYPE(breakwater::ErrorScope)
Q_DECLARE_METATYPE(breakwater::testing::ScriptedResponse)

namespace {

// Distinctive, so a leak into any message is unmistakable.
const QString kApiKey = QStringLiteral("sk_breakwater_test_7f3a91c2e8d4b6a0");
// Generous: a loaded 2-core machine may be slow, and a passing test never waits this long.
constexpr int kWaitMs = 20000;
constexpr int kShortTimeoutMs = 300;
constexpr qint64 kNoRetryAfter = -1;
constexpr qint64 kMegabyte = qint64{1024} * 1024;
constexpr qint64 kKilobyte = 1024;

ElevenLabsSettings settingsFor(const QUrl& baseUrl)
{
    ElevenLabsSettings settings;
    settings.baseUrl = baseUrl;
    settings.apiKey = kApiKey;
    settings.timeout = 15s;
    settings.probeTimeout = 15s;
    settings.maxResponseBytes = kMegabyte;
    return settings;
}

// Whatever a done callback received; shared so a late call could never write into a dead frame.
struct Capture
{
    int calls = 0;
    SynthesisResult result;
};

std::shared_ptr<Capture> start(TtsService& service, const QString& text,
                               const QString& voiceId = {})
{
    auto capture = std::make_shared<Capture>();
    service.synthesize(SynthesisRequest{text, voiceId}, [capture](const SynthesisResult& result) {
        ++capture->calls;
        capture->result = result;
    });
    return capture;
}

struct ProbeCapture
{
    int calls = 0;
    std::optional<ServiceError> error;
};

std::shared_ptr<ProbeCapture> startProbe(HealthProbe& probe)
{
    auto capture = std::make_shared<ProbeCapture>();
    probe.probe([capture](const std::optional<ServiceError>& error) {
        ++capture->calls;
        capture->error = error;
    });
    return capture;
}

void verifyNoSecret(const ServiceError& error)
{
    QVERIFY2(!error.message.contains(kApiKey), qPrintable(error.message));
    QVERIFY(!error.vendorCode.contains(kApiKey));
    QVERIFY(!error.message.contains(QLatin1String("sk_breakwater")));
}

QByteArray detail(const char* status, const char* message)
{
    return QByteArrayLiteral(R"({"detail":{"status":")") + status +
           QByteArrayLiteral(R"(","message":")") + message + QByteArrayLiteral(R"("}})");
}

QByteArray audioBytes(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = static_cast<char>((i * 31 + 7) % 256);
    return bytes;
}

} // namespace

class TestElevenLabsClient final : public QObject
{
    Q_OBJECT

private slots:
    void requestShape_data();
    void requestShape();
    void apiKeySource_data();
    void apiKeySource();
    void success();
    void httpErrors_data();
    void httpErrors();
    void misbehavingServers_data();
    void misbehavingServers();
    void connectionRefused();
    void unusableBaseUrlFailsLater_data();
    void unusableBaseUrlFailsLater();
    void bodyCapBoundary_data();
    void bodyCapBoundary();
    void hugeBodyIsRefusedEarly_data();
    void hugeBodyIsRefusedEarly();
    void cancelDropsTheConnection();
    void cancelBeforeALaterFailure();
    void destroyingTheClientDropsEverything();
    void concurrentRequests();
    void probeRequestShape();
    void probeVerdicts_data();
    void probeVerdicts();
    void probeAbort();
};

void TestElevenLabsClient::requestShape_data()
{
    QTest::addColumn<QString>("basePath");
    QTest::addColumn<QString>("voiceId");
    QTest::addColumn<QString>("outputFormat");
    QTest::addColumn<QByteArray>("expectedPath");
    QTest::addColumn<QByteArray>("expectedAccept");

    const QString mp3 = QStringLiteral("mp3_44100_128");
    QTest::addRow("plain") << QString() << QStringLiteral("21m00Tcm4TlvDq8ikWAM") << mp3
                           << QByteArray("/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM")
                           << QByteArray("audio/mpeg");
    QTest::addRow("prefix, voice needing escapes")
        << QStringLiteral("/proxy") << QStringLiteral("voice/with space?&#%é") << mp3
        << QByteArray("/proxy/v1/text-to-speech/voice%2Fwith%20space%3F%26%23%25%C3%A9")
        << QByteArray("audio/mpeg");
    QTest::addRow("prefix with trailing slash")
        << QStringLiteral("/proxy/tts/") << QStringLiteral("abc") << mp3
        << QByteArray("/proxy/tts/v1/text-to-speech/abc") << QByteArray("audio/mpeg");
    QTest::addRow("configured voice")
        << QString() << QString() << mp3 << QByteArray("/v1/text-to-speech/configured-voice")
        << QByteArray("audio/mpeg");
    QTest::addRow("pcm") << QString() << QStringLiteral("v") << QStringLiteral("pcm_16000")
                         << QByteArray("/v1/text-to-speech/v") << QByteArray("audio/*");
}

void TestElevenLabsClient::requestShape()
{
    QFETCH(QString, basePath);
    QFETCH(QString, voiceId);
    QFETCH(QString, outputFormat);
    QFETCH(QByteArray, expectedPath);
    QFETCH(QByteArray, expectedAccept);

    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    server.setResponse(ScriptedResponse::respond(200, "audio/mpeg", audioBytes(64)));
    ElevenLabsSettings settings = settingsFor(server.url(basePath));
    settings.voiceId = QStringLiteral("configured-voice");
    settings.outputFormat = outputFormat;
    ElevenLabsClient client(settings);

    const QString text = QStringLiteral("Hello \"caller\", ça va? \u4F60\u597D\n");
    const auto capture = start(client, text, voiceId);
    QTRY_COMPARE_WITH_TIMEOUT(capture->calls, 1, kWaitMs);
    QVERIFY2(capture->result.ok(), qPrintable(capture->result.error->message));

    QCOMPARE(server.requests().size(), size_t{1});
    const RecordedRequest& request = server.requests().front();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.path, expectedPath);
    QCOMPARE(request.query, QByteArray("output_format=") + outputFormat.toLatin1());
    QCOMPARE(request.header("xi-api-key"), kApiKey.toLatin1());
    QCOMPARE(request.header("Content-Type"), QByteArray("application/json"));
    QCOMPARE(request.header("Accept"), expectedAccept);

    QJsonParseError parseError{};
    const QJsonDocument body = QJsonDocument::fromJson(request.body, &parseError);
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    const QJsonObject json = body.object();
    QCOMPARE(json.value(QLatin1String("text")).toString(), text);
    QCOMPARE(json.value(QLatin1String("model_id")).toString(), settings.modelId);
    QVERIFY(!json.contains(QLatin1String("voice_settings")));
    QCOMPARE(json.size(), 2);
}

void TestElevenLabsClient::apiKeySource_data()
{
    QTest::addColumn<QString>("configured");
    QTest::addColumn<QByteArray>("environment");
    QTest::addColumn<QByteArray>("expectedHeader"); // null: no header at all

    QTest::addRow("configured") << QStringLiteral("cfg-key") << QByteArray()
                                << QByteArray("cfg-key");
    QTest::addRow("configured wins")
        << QStringLiteral("cfg-key") << QByteArray("env-key") << QByteArray("cfg-key");
    QTest::addRow("environment, trimmed")
        << QString() << QByteArray("env-key\n") << QByteArray("env-key");
    QTest::addRow("neither") << QString() << QByteArray() << QByteArray();
}

void TestElevenLabsClient::apiKeySource()
{
    QFETCH(QString, configured);
    QFETCH(QByteArray, environment);
    QFETCH(QByteArray, expectedHeader);

    const QByteArray saved = qgetenv("ELEVENLABS_API_KEY");
    const bool hadSaved = qEnvironmentVariableIsSet("ELEVENLABS_API_KEY");
    if (environment.isNull())
        qunsetenv("ELEVENLABS_API_KEY");
    else
        qputenv("ELEVENLABS_API_KEY", environment);

    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    server.setResponse(ScriptedResponse::respond(200, "audio/mpeg", audioBytes(8)));
    ElevenLabsSettings settings = settingsFor(server.url());
    settings.apiKey = configured;
    ElevenLabsClient client(settings);
    // Read once, at construction: a later change of the environment does not matter.
    qputenv("ELEVENLABS_API_KEY", "changed-later");
    const auto capture = start(client, QStringLiteral("hi"));
    QTRY_COMPARE_WITH_TIMEOUT(capture->calls, 1, kWaitMs);

    if (hadSaved)
        qputenv("ELEVENLABS_API_KEY", saved);
    else
        qunsetenv("ELEVENLABS_API_KEY");

    QCOMPARE(server.requests().size(), size_t{1});
    const RecordedRequest& request = server.requests().front();
    QCOMPARE(request.hasHeader("xi-api-key"), !expectedHeader.isNull());
    QCOMPARE(request.header("xi-api-key"), expectedHeader);
}

void TestElevenLabsClient::success()
{
    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    const QByteArray audio = audioBytes(200 * kKilobyte);
    server.setResponse(ScriptedResponse::respond(200, "audio/mpeg", audio));
    ElevenLabsClient client(settingsFor(server.url()));
    QCOMPARE(client.name(), QStringLiteral("elevenlabs"));

    const auto capture = start(client, QStringLiteral("Your appointment is at noon."));
    QTRY_COMPARE_WITH_TIMEOUT(capture->calls, 1, kWaitMs);
    QVERIFY(capture->result.ok());
    QCOMPARE(capture->result.audio, audio);
    QCOMPARE(capture->result.contentType, QStringLiteral("audio/mpeg"));
    QCOMPARE(client.requestsStarted(), quint64{1});
    QCOMPARE(client.bytesReceived(), quint64(audio.size()));
    QCOMPARE(client.requestsInFlight(), 0);
}

void TestElevenLabsClient::httpErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("retryAfter");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<ErrorScope>("scope");
    QTest::addColumn<QString>("vendorCode");
    QTest::addColumn<qint64>("retryAfterMs");

    const auto transient = ErrorKind::Transient;
    const auto permanent = ErrorKind::Permanent;
    const auto service = ErrorScope::Service;
    const auto request = ErrorScope::Request;
    const QByteArray none;

    QTest::addRow("503") << 503 << detail("system_busy", "busy") << none << transient << service
                         << QStringLiteral("system_busy") << kNoRetryAfter;
    QTest::addRow("500") << 500 << QByteArray("oops") << none << transient << service << QString()
                         << kNoRetryAfter;
    QTest::addRow("502") << 502 << QByteArray("<html>bad gateway</html>") << none << transient
                         << service << QString() << kNoRetryAfter;
    QTest::addRow("504") << 504 << QByteArray() << none << transient << service << QString()
                         << kNoRetryAfter;
    QTest::addRow("429 without Retry-After")
        << 429 << detail("too_many_concurrent_requests", "slow down") << none << transient
        << service << QStringLiteral("too_many_concurrent_requests") << kNoRetryAfter;
    QTest::addRow("429 with Retry-After")
        << 429 << detail("rate_limit_exceeded", "slow down") << QByteArray("7") << transient
        << service << QStringLiteral("rate_limit_exceeded") << qint64{7000};
    QTest::addRow("401 invalid key")
        << 401 << detail("invalid_api_key", "Invalid API key") << none << permanent << service
        << QStringLiteral("invalid_api_key") << kNoRetryAfter;
    QTest::addRow("401 quota") << 401 << detail("quota_exceeded", "This request exceeds your quota")
                               << QByteArray("3600") << permanent << service
                               << QStringLiteral("quota_exceeded") << qint64{3600000};
    QTest::addRow("400 too long") << 400 << detail("max_character_limit_exceeded", "too long")
                                  << none << permanent << request
                                  << QStringLiteral("max_character_limit_exceeded")
                                  << kNoRetryAfter;
    QTest::addRow("422 array detail")
        << 422
        << QByteArray(R"({"detail":[{"loc":["body","text"],"msg":"Field required",)"
                      R"("type":"missing"}]})")
        << none << permanent << request << QStringLiteral("missing") << kNoRetryAfter;
    QTest::addRow("403") << 403 << QByteArray() << none << permanent << service << QString()
                         << kNoRetryAfter;
    QTest::addRow("404 voice not found")
        << 404 << detail("voice_not_found", "A voice with that id was not found") << none
        << permanent << service << QStringLiteral("voice_not_found") << kNoRetryAfter;
    QTest::addRow("503 malformed json") << 503 << QByteArray(R"({"detail":{"status":"sys)") << none
                                        << transient << service << QString() << kNoRetryAfter;
    // Only its head is read before the connection is dropped; the status alone decides.
    QTest::addRow("503 with a huge page") << 503 << QByteArray(300 * kKilobyte, 'x') << none
                                          << transient << service << QString() << kNoRetryAfter;
    QTest::addRow("error body echoing the key")
        << 401 << detail("invalid_api_key", "sk_breakwater_test_7f3a91c2e8d4b6a0 is invalid")
        << none << permanent << service << QStringLiteral("invalid_api_key") << kNoRetryAfter;
}

void TestElevenLabsClient::httpErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, retryAfter);
    QFETCH(ErrorKind, kind);
    QFETCH(ErrorScope, scope);
    QFETCH(QString, vendorCode);
    QFETCH(qint64, retryAfterMs);

    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    HeaderList headers;
    if (!retryAfter.isEmpty())
        headers.append({QByteArrayLiteral("Retry-After"), retryAfter});
    server.setResponse(ScriptedResponse::respond(status, "application/json", body, headers));
    ElevenLabsClient client(settingsFor(server.url()));

    const auto capture = start(client, QStringLiteral("text"));
    QTRY_COMPARE_WITH_TIMEOUT(capture->calls, 1, kWaitMs);
    QVERIFY(!capture->result.ok());
    const ServiceError& error = *capture->result.error;
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.scope, scope);
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.vendorCode, vendorCode);
    QCOMPARE(error.retryAfter ? error.retryAfter->count() : kNoRetryAfter, retryAfterMs);
    QVERIFY(!error.message.isEmpty());
    verifyNoSecret(error);
    QCOMPARE(server.requests().size(), size_t{1});
}

void TestElevenLabsClient::misbehavingServers_data()
{
    QTest::addColumn<ScriptedResponse>("response");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("vendorCode");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<int>("networkError"); // -1: not checked

    const auto transient = ErrorKind::Transient;
    const auto permanent = ErrorKind::Permanent;
    const int unchecked = -1;
    const int timedOut = QNetworkReply::TimeoutError;

    QTest::addRow("reset") << ScriptedResponse::reset() << kWaitMs << transient << QString() << 0
                           << int(QNetworkReply::RemoteHostClosedError);
    QTest::addRow("closed mid-body")
        << ScriptedResponse::closeMidBody(audioBytes(100), 1000) << kWaitMs << transient
        << QStringLiteral("truncated_response") << 200 << unchecked;
    QTest::addRow("json on 200") << ScriptedResponse::respond(200, "application/json", "{}")
                                 << kWaitMs << transient
                                 << QStringLiteral("unexpected_content_type") << 200 << unchecked;
    QTest::addRow("html on 200") << ScriptedResponse::respond(200, "text/html", "<html></html>")
                                 << kWaitMs << transient
                                 << QStringLiteral("unexpected_content_type") << 200 << unchecked;
    QTest::addRow("no content type on 200")
        << ScriptedResponse::respond(200, QByteArray(), audioBytes(10)) << kWaitMs << transient
        << QStringLiteral("unexpected_content_type") << 200 << unchecked;
    QTest::addRow("empty 200") << ScriptedResponse::respond(200, "audio/mpeg", QByteArray())
                               << kWaitMs << transient << QStringLiteral("empty_audio") << 200
                               << unchecked;
    const HeaderList elsewhere{{"Location", "http://127.0.0.1:9/steal-the-key"}};
    QTest::addRow("302") << ScriptedResponse::respond(302, "text/html", "moved", elsewhere)
                         << kWaitMs << permanent << QStringLiteral("unexpected_redirect") << 302
                         << unchecked;
    QTest::addRow("307") << ScriptedResponse::respond(307, QByteArray(), QByteArray(), elsewhere)
                         << kWaitMs << permanent << QStringLiteral("unexpected_redirect") << 307
                         << unchecked;
    QTest::addRow("hang") << ScriptedResponse::hang() << kShortTimeoutMs << transient << QString()
                          << 0 << timedOut;
    QTest::addRow("drip body") << ScriptedResponse::dripBody(50) << kShortTimeoutMs << transient
                               << QString() << 200 << timedOut;
    QTest::addRow("drip headers") << ScriptedResponse::dripHeaders(50) << kShortTimeoutMs
                                  << transient << QString() << 0 << timedOut;
}

void TestElevenLabsClient::misbehavingServers()
{
    QFETCH(ScriptedResponse, response);
    QFETCH(int, timeoutMs);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, vendorCode);
    QFETCH(int, httpStatus);
    QFETCH(int, networkError);

    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    server.setResponse(response);
    ElevenLabsSettings settings = settingsFor(server.url());
    settings.timeout = std::chrono::milliseconds(timeoutMs);
    ElevenLabsClient client(settings);

    const auto capture = start(client, QStringLiteral("text"));
    QTRY_COMPARE_WITH_TIMEOUT(capture->calls, 1, kWaitMs);
    QVERIFY(!capture->result.ok());
    const ServiceError& error = *capture->result.error;
    QCOMPARE(error.kind, kind);
    QCOMPARE(error.vendorCode, vendorCode);
    QCOMPARE(error.httpStatus, httpStatus);
    if (networkError != -1)
        QCOMPARE(int(error.networkError), networkError);
    if (networkError == QNetworkReply::TimeoutError)
        QVERIFY2(error.message.contains(QLatin1String("timed out")), qPrintable(error.message));
    verifyNoSecret(error);
    // Nothing is followed or retried behind the caller's back... except by Qt's own resend of a
    // request whose connection was reset before any answer.
    if (response.mode != ScriptedResponse::Mode::Reset)
        QCOMPARE(server.requests().size(), size_t{1});
    // Whatever was still open is dropped: the server sees it go.
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kWaitMs);
    QCOMPARE(capture->calls, 1);
}

void TestElevenLabsClient::connectionRefused()
{
    QUrl deadUrl;
    {
        // A port that was free a moment ago and has nothing listening now.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        deadUrl.setScheme(QStringLiteral("http"));
        deadUrl.setHost(QStringLiteral("127.0.0.1"));
        deadUrl.setPort(probe.serverPort());
    }
    ElevenLabsClient client(settingsFor(deadUrl));

    const auto capture = start(client, QStringLiteral("text"));
    QTRY_COMPARE_WITH_TIMEOUT(capture->calls, 1, kWaitMs);
    QVERIFY(!capture->result.ok());
    const ServiceError& error = *capture->result.error;
    QCOMPARE(error.kind, ErrorKind::Transient);
    QCOMPARE(error.scope, ErrorScope::Service);
    QCOMPARE(error.networkError, QNetworkReply::ConnectionRefusedError);
    QCOMPARE(error.httpStatus, 0);
    verifyNoSecret(error);

    const auto probed = startProbe(client.healthProbe());
    QTRY_COMPARE_WITH_TIMEOUT(probed->calls, 1, kWaitMs);
    QVERIFY(probed->error);
    QCOMPARE(probed->error->networkError, QNetworkReply::ConnectionRefusedError);
    verifyNoSecret(*probed->error);
}

void TestElevenLabsClient::unusableBaseUrlFailsLater_data()
{
    QTest::addColumn<QUrl>("baseUrl");

    QTest::addRow("empty") << QUrl();
    QTest::addRow("relative") << QUrl(QStringLiteral("/just/a/path"));
    QTest::addRow("ftp") << QUrl(QStringLiteral("ftp://127.0.0.1/"));
    QTest::addRow("no host") << QUrl(QStringLiteral("http:///v1"));
}

void TestElevenLabsClient::unusableBaseUrlFailsLater()
{
    QFETCH(QUrl, baseUrl);

    ElevenLabsClient client(settingsFor(baseUrl));
    const auto capture = start(client, QStringLiteral("text"));
    // Never from inside synthesize(): the caller may not be ready for its callback yet.
    QCOMPARE(capture->calls, 0);
    QTRY_COMPARE_WITH_TIMEOUT(capture->calls, 1, kWaitMs);
    QVERIFY(!capture->result.ok());
    QCOMPARE(capture->result.error->kind, ErrorKind::Permanent);
    QCOMPARE(capture->result.error->vendorCode, QStringLiteral("invalid_base_url"));
    verifyNoSecret(*capture->result.error);

    const auto probed = startProbe(client.healthProbe());
    QCOMPARE(probed->calls, 0);
    QTRY_COMPARE_WITH_TIMEOUT(probed->calls, 1, kWaitMs);
    QVERIFY(probed->error);
    QCOMPARE(probed->error->vendorCode, QStringLiteral("invalid_base_url"));
}

void TestElevenLabsClient::bodyCapBoundary_data()
{
    QTest::addColumn<qint64>("bodyBytes");
    QTest::addColumn<bool>("announceLength");
    QTest::addColumn<bool>("accepted");

    const qint64 cap = 100 * kKilobyte;
    QTest::addRow("at the cap, announced") << cap << true << true;
    QTest::addRow("at the cap, unannounced") << cap << false << true;
    QTest::addRow("one past, announced") << cap + 1 << true << false;
    QTest::addRow("one past, unannounced") << cap + 1 << false << false;
}

void TestElevenLabsClient::bodyCapBoundary()
{
    QFETCH(qint64, bodyBytes);
    QFETCH(bool, announceLength);
    QFETCH(bool, accepted);

    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    server.setResponse(ScriptedResponse::hugeBody(bodyBytes, announceLength));
    ElevenLabsSettings settings = settingsFor(server.url());
    settings.maxResponseBytes = 100 * kKilobyte;
    ElevenLabsClient client(settings);

    const auto capture = start(client, QStringLiteral("text"));
    QTRY_COMPARE_WITH_TIMEOUT(capture->calls, 1, kWaitMs);
    QCOMPARE(capture->result.ok(), accepted);
    if (accepted) {
        QCOMPARE(capture->result.audio.size(), bodyBytes);
    } else {
        QCOMPARE(capture->result.error->vendorCode, QStringLiteral("response_too_large"));
        QCOMPARE(capture->result.error->kind, ErrorKind::Permanent);
        QCOMPARE(capture->result.error->scope, ErrorScope::Request);
        QCOMPARE(capture->result.error->httpStatus, 200);
        verifyNoSecret(*capture->result.error);
    }
}

void TestElevenLabsClient::hugeBodyIsRefusedEarly_data()
{
    QTest::addColumn<bool>("announceLength");

    QTest::addRow("Content-Length announced") << true;
    QTest::addRow("length unknown until close") << false;
}

void TestElevenLabsClient::hugeBodyIsRefusedEarly()
{
    QFETCH(bool, announceLength);
    const qint64 hundredMegabytes = 100 * kMegabyte;

    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    server.setResponse(ScriptedResponse::hugeBody(hundredMegabytes, announceLength));
    ElevenLabsClient client(settingsFor(server.url())); // 1 MB cap

    const auto capture = start(client, QStringLiteral("text"));
    QTRY_COMPARE_WITH_TIMEOUT(capture->calls, 1, kWaitMs);
    QVERIFY(!capture->result.ok());
    QCOMPARE(capture->result.error->vendorCode, QStringLiteral("response_too_large"));
    QVERIFY(capture->result.audio.isEmpty());
    verifyNoSecret(*capture->result.error);

    // The client hung up long before the end: the server saw the connection go and had handed
    // the kernel only a small part of the body (socket buffers hold a few megabytes at most).
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kWaitMs);
    QCOMPARE(server.connectionsClosedByClient(), 1);
    QVERIFY2(server.bytesWritten() < 32 * kMegabyte, QByteArray::number(server.bytesWritten()));
    QVERIFY(client.bytesReceived() <= quint64(2 * kMegabyte));
}

void TestElevenLabsClient::cancelDropsTheConnection()
{
    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    server.setResponse(ScriptedResponse::hang());
    ElevenLabsSettings settings = settingsFor(server.url());
    settings.timeout = std::chrono::milliseconds(kShortTimeoutMs);
    ElevenLabsClient client(settings);

    auto calls = std::make_shared<int>(0);
    const TtsService::RequestId id =
        client.synthesize(SynthesisRequest{QStringLiteral("text"), {}},
                          [calls](const SynthesisResult&) { ++*calls; });
    QVERIFY(id != 0);
    QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), size_t{1}, kWaitMs);

    client.cancel(id);
    QCOMPARE(client.requestsInFlight(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionsClosedByClient(), 1, kWaitMs);
    // Past the deadline the request would have had: its timer died with it.
    QTest::qWait(2 * kShortTimeoutMs);
    QCOMPARE(*calls, 0);

    client.cancel(id);      // finished ids are ignored
    client.cancel(id + 42); // so are unknown ones
}

void TestElevenLabsClient::cancelBeforeALaterFailure()
{
    ElevenLabsClient client(settingsFor(QUrl()));
    auto calls = std::make_shared<int>(0);
    const TtsService::RequestId id =
        client.synthesize(SynthesisRequest{QStringLiteral("text"), {}},
                          [calls](const SynthesisResult&) { ++*calls; });
    client.cancel(id);
    QTest::qWait(50);
    QCOMPARE(*calls, 0);
}

void TestElevenLabsClient::destroyingTheClientDropsEverything()
{
    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    server.setResponse(ScriptedResponse::hang());
    auto calls = std::make_shared<int>(0);
    {
        ElevenLabsClient client(settingsFor(server.url()));
        for (int i = 0; i < 3; ++i) {
            client.synthesize(SynthesisRequest{QStringLiteral("text"), {}},
                              [calls](const SynthesisResult&) { ++*calls; });
        }
        client.healthProbe().probe([calls](const std::optional<ServiceError>&) { ++*calls; });
        QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), size_t{4}, kWaitMs);
    }
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionsClosedByClient(), 4, kWaitMs);
    QTest::qWait(50);
    QCOMPARE(*calls, 0);
}

void TestElevenLabsClient::concurrentRequests()
{
    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    server.setResponse(ScriptedResponse::echo());
    ElevenLabsClient client(settingsFor(server.url()));

    constexpr int count = 10; // more than Qt's six connections per host: some wait their turn
    std::vector<std::shared_ptr<Capture>> captures;
    captures.reserve(count);
    for (int i = 0; i < count; ++i)
        captures.push_back(start(client, QStringLiteral("call number %1").arg(i)));
    QCOMPARE(client.requestsInFlight(), count);

    for (int i = 0; i < count; ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(captures[i]->calls, 1, kWaitMs);
        QVERIFY(captures[i]->result.ok());
        // Each answer reached the request that asked for it.
        const QJsonObject echoed = QJsonDocument::fromJson(captures[i]->result.audio).object();
        QCOMPARE(echoed.value(QLatin1String("text")).toString(),
                 QStringLiteral("call number %1").arg(i));
    }
    QCOMPARE(server.requests().size(), size_t{count});
    QCOMPARE(client.requestsStarted(), quint64{count});
    QCOMPARE(client.requestsInFlight(), 0);
}

void TestElevenLabsClient::probeRequestShape()
{
    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    server.setResponse(ScriptedResponse::respond(200, "application/json", "[]"));
    ElevenLabsClient client(settingsFor(server.url(QStringLiteral("/proxy"))));

    const auto probed = startProbe(client.healthProbe());
    QTRY_COMPARE_WITH_TIMEOUT(probed->calls, 1, kWaitMs);
    QVERIFY(!probed->error);
    QCOMPARE(server.requests().size(), size_t{1});
    const RecordedRequest& request = server.requests().front();
    QCOMPARE(request.method, QByteArray("GET"));
    QCOMPARE(request.path, QByteArray("/proxy/v1/models"));
    QVERIFY(request.query.isEmpty());
    QCOMPARE(request.header("xi-api-key"), kApiKey.toLatin1());
}

void TestElevenLabsClient::probeVerdicts_data()
{
    QTest::addColumn<ScriptedResponse>("response");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<bool>("healthy");
    QTest::addColumn<ErrorKind>("kind");
    QTest::addColumn<QString>("vendorCode");
    QTest::addColumn<int>("httpStatus");

    const QByteArray json = "application/json";
    const auto transient = ErrorKind::Transient;
    const auto permanent = ErrorKind::Permanent;

    QTest::addRow("model array")
        << ScriptedResponse::respond(
               200, json, R"([{"model_id":"eleven_multilingual_v2","can_do_text_to_speech":true}])")
        << kWaitMs << true << transient << QString() << 0;
    QTest::addRow("object with models") << ScriptedResponse::respond(200, json, R"({"models":[]})")
                                        << kWaitMs << true << transient << QString() << 0;
    QTest::addRow("503") << ScriptedResponse::respond(503, json, detail("system_busy", "busy"))
                         << kWaitMs << false << transient << QStringLiteral("system_busy") << 503;
    QTest::addRow("401") << ScriptedResponse::respond(401, json, detail("invalid_api_key", "bad"))
                         << kWaitMs << false << permanent << QStringLiteral("invalid_api_key")
                         << 401;
    QTest::addRow("garbage") << ScriptedResponse::respond(200, "text/html", "<html>hi</html>")
                             << kWaitMs << false << transient
                             << QStringLiteral("malformed_response") << 200;
    QTest::addRow("object without models")
        << ScriptedResponse::respond(200, json, R"({"ok":true})") << kWaitMs << false << transient
        << QStringLiteral("malformed_response") << 200;
    QTest::addRow("204") << ScriptedResponse::respond(204, QByteArray(), QByteArray()) << kWaitMs
                         << false << transient << QStringLiteral("unexpected_status") << 204;
    QTest::addRow("too large") << ScriptedResponse::hugeBody(2 * kMegabyte, false) << kWaitMs
                               << false << transient << QStringLiteral("response_too_large") << 200;
    QTest::addRow("hang") << ScriptedResponse::hang() << kShortTimeoutMs << false << transient
                          << QString() << 0;
    QTest::addRow("drip") << ScriptedResponse::dripBody(50) << kShortTimeoutMs << false << transient
                          << QString() << 200;
}

void TestElevenLabsClient::probeVerdicts()
{
    QFETCH(ScriptedResponse, response);
    QFETCH(int, timeoutMs);
    QFETCH(bool, healthy);
    QFETCH(ErrorKind, kind);
    QFETCH(QString, vendorCode);
    QFETCH(int, httpStatus);

    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    server.setResponse(response);
    ElevenLabsSettings settings = settingsFor(server.url());
    settings.probeTimeout = std::chrono::milliseconds(timeoutMs);
    ElevenLabsClient client(settings);

    const auto probed = startProbe(client.healthProbe());
    QTRY_COMPARE_WITH_TIMEOUT(probed->calls, 1, kWaitMs);
    QCOMPARE(!probed->error.has_value(), healthy);
    if (healthy)
        return;
    QCOMPARE(probed->error->kind, kind);
    QCOMPARE(probed->error->vendorCode, vendorCode);
    QCOMPARE(probed->error->httpStatus, httpStatus);
    if (timeoutMs == kShortTimeoutMs)
        QCOMPARE(probed->error->networkError, QNetworkReply::TimeoutError);
    verifyNoSecret(*probed->error);
    QTRY_COMPARE_WITH_TIMEOUT(server.openConnections(), 0, kWaitMs);
}

void TestElevenLabsClient::probeAbort()
{
    ScriptedHttpServer server;
    QVERIFY(server.isListening());
    server.setResponse(ScriptedResponse::hang());
    ElevenLabsSettings settings = settingsFor(server.url());
    settings.probeTimeout = std::chrono::milliseconds(kShortTimeoutMs);
    ElevenLabsClient client(settings);
    auto& probe = static_cast<ElevenLabsHealthProbe&>(client.healthProbe());

    const auto first = startProbe(probe);
    const auto second = startProbe(probe);
    QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), size_t{2}, kWaitMs);
    QCOMPARE(probe.probesInFlight(), 2);

    probe.abort();
    QCOMPARE(probe.probesInFlight(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(server.connectionsClosedByClient(), 2, kWaitMs);
    QTest::qWait(2 * kShortTimeoutMs);
    QCOMPARE(first->calls, 0);
    QCOMPARE(second->calls, 0);
    probe.abort(); // nothing in flight: harmless

    // The probe still works afterwards.
    server.setResponse(ScriptedResponse::respond(200, "application/json", "[]"));
    const auto third = startProbe(probe);
    QTRY_COMPARE_WITH_TIMEOUT(third->calls, 1, kWaitMs);
    QVERIFY(!third->error);
}

QTEST_GUILESS_MAIN(TestElevenLabsClient)
#include "tst_elevenlabsclient.moc"
