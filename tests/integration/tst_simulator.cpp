#include "mp3framewalker.h"
#include "services/simulator/elevenlabssimulator.h"
#include "services/simulator/simulatedaudio.h"
#include "services/simulator/simulatorhost.h"
#include "simulatortestclient.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

using namespace breakwater;
using namespace breakwater::testing;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(breakwater::FaultMode)
Q_DECLARE_METATYPE(breakwater::FaultPlan)

namespace {

FaultPlan planOf(FaultMode mode)
{
    FaultPlan plan;
    plan.mode = mode;
    return plan;
}

} // namespace

class TestSimulator final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void faultModeNamesRoundTrip();
    void faultModeAliases_data();
    void faultModeAliases();
    void describesPlans_data();
    void describesPlans();
    void validatesPlans_data();
    void validatesPlans();

    void healthySpeechIsPlayableMpeg();
    void audioGrowsWithTextAndIsBounded();
    void outputFormats_data();
    void outputFormats();
    void modelsListsTextToSpeechModels();
    void subscriptionCountsCharacters();
    void requestProblems_data();
    void requestProblems();
    void keepAliveReusesOneConnection();
    void connectionCloseIsHonoured();

    void statusFaults_data();
    void statusFaults();
    void malformedIsA200ThatIsNotAudio();
    void hangNeverAnswers();
    void resetDropsTheConnection();
    void slowAnswersNoSoonerThanTheLatency();
    void latencyDelaysFaultsToo();
    void aRequestKeepsThePlanItArrivedUnder();
    void flappingIsReproducibleAndRoughlyProportional();

    void listenerHearsEachChange();
    void planChangesWhileRequestsAreInFlight();
    void hostStopsCleanlyWithHungConnections();
    void portInUseIsAClearError();

private:
    std::unique_ptr<ElevenLabsSimulator> m_simulator;
    std::unique_ptr<SimulatorTestClient> m_client;
};

void TestSimulator::init()
{
    m_simulator = std::make_unique<ElevenLabsSimulator>();
    QVERIFY2(m_simulator->start(), qPrintable(m_simulator->errorString()));
    QVERIFY(m_simulator->port() != 0);
    QCOMPARE(m_simulator->baseUrl().host(), QStringLiteral("127.0.0.1"));
    m_client = std::make_unique<SimulatorTestClient>(m_simulator->baseUrl());
}

void TestSimulator::cleanup()
{
    m_client.reset();
    m_simulator.reset();
}

void TestSimulator::faultModeNamesRoundTrip()
{
    const QStringList expected{QStringLiteral("healthy"),
                               QStringLiteral("503"),
                               QStringLiteral("500"),
                               QStringLiteral("429"),
                               QStringLiteral("401_invalid_key"),
                               QStringLiteral("401_quota"),
                               QStringLiteral("hang"),
                               QStringLiteral("slow"),
                               QStringLiteral("reset"),
                               QStringLiteral("malformed"),
                               QStringLiteral("flapping")};
    QCOMPARE(expected.size(), kFaultModeCount);
    for (int i = 0; i < kFaultModeCount; ++i) {
        QCOMPARE(faultModeName(FaultMode(i)), expected[i]);
        QCOMPARE(faultModeFromName(expected[i]), std::optional<FaultMode>(FaultMode(i)));
    }
    QCOMPARE(faultModeFromName(u"  HANG "), std::optional<FaultMode>(FaultMode::Hang));
    QCOMPARE(faultModeFromName(u"404"), std::nullopt);
    QCOMPARE(faultModeFromName(u""), std::nullopt);
}

void TestSimulator::faultModeAliases_data()
{
    QTest::addColumn<QString>("alias");
    QTest::addColumn<FaultMode>("mode");
    QTest::addRow("ok") << QStringLiteral("ok") << FaultMode::Healthy;
    QTest::addRow("unavailable") << QStringLiteral("unavailable") << FaultMode::ServiceUnavailable;
    QTest::addRow("rate_limited") << QStringLiteral("rate_limited") << FaultMode::RateLimited;
    QTest::addRow("invalid_key") << QStringLiteral("invalid_key") << FaultMode::InvalidApiKey;
    QTest::addRow("quota") << QStringLiteral("quota") << FaultMode::QuotaExceeded;
    QTest::addRow("timeout") << QStringLiteral("timeout") << FaultMode::Hang;
    QTest::addRow("connection_reset")
        << QStringLiteral("connection_reset") << FaultMode::ConnectionReset;
}

void TestSimulator::faultModeAliases()
{
    QFETCH(QString, alias);
    QFETCH(FaultMode, mode);
    QCOMPARE(faultModeFromName(alias), std::optional<FaultMode>(mode));
}

void TestSimulator::describesPlans_data()
{
    QTest::addColumn<FaultPlan>("plan");
    QTest::addColumn<QString>("text");
    FaultPlan slow = planOf(FaultMode::Slow);
    slow.latency = 800ms;
    FaultPlan flapping = planOf(FaultMode::Flapping);
    flapping.flappingFailureRate = 0.3;
    flapping.seed = 7;
    FaultPlan limited = planOf(FaultMode::RateLimited);
    limited.retryAfter = 2s;
    FaultPlan slowUnavailable = planOf(FaultMode::ServiceUnavailable);
    slowUnavailable.latency = 200ms;
    QTest::addRow("healthy") << FaultPlan{} << QStringLiteral("healthy");
    QTest::addRow("503") << planOf(FaultMode::ServiceUnavailable) << QStringLiteral("503");
    QTest::addRow("slow") << slow << QStringLiteral("slow 800 ms");
    QTest::addRow("flapping") << flapping << QStringLiteral("flapping 30% as 503 (seed 7)");
    QTest::addRow("429") << limited << QStringLiteral("429 with Retry-After 2 s");
    QTest::addRow("503 late") << slowUnavailable << QStringLiteral("503, 200 ms latency");
}

void TestSimulator::describesPlans()
{
    QFETCH(FaultPlan, plan);
    QFETCH(QString, text);
    QCOMPARE(describeFaultPlan(plan), text);
}

void TestSimulator::validatesPlans_data()
{
    QTest::addColumn<FaultPlan>("plan");
    QTest::addColumn<QString>("field"); // empty: valid
    FaultPlan plan;
    QTest::addRow("default") << plan << QString();
    plan.latency = 600001ms;
    QTest::addRow("latency too long") << plan << QStringLiteral("latency");
    plan.latency = -1ms;
    QTest::addRow("negative latency") << plan << QStringLiteral("latency");
    plan = {};
    plan.retryAfter = 3601s;
    QTest::addRow("retry after") << plan << QStringLiteral("retry_after");
    plan = {};
    plan.flappingFailureRate = 1.5;
    QTest::addRow("rate above 1") << plan << QStringLiteral("flapping_failure_rate");
    plan.flappingFailureRate = std::numeric_limits<double>::quiet_NaN();
    QTest::addRow("rate NaN") << plan << QStringLiteral("flapping_failure_rate");
    plan = {};
    plan.flappingFailure = FaultMode::Flapping;
    QTest::addRow("flapping as flapping") << plan << QStringLiteral("flapping_failure");
    plan.flappingFailure = FaultMode::Healthy;
    QTest::addRow("flapping as healthy") << plan << QStringLiteral("flapping_failure");
}

void TestSimulator::validatesPlans()
{
    QFETCH(FaultPlan, plan);
    QFETCH(QString, field);
    const QString problem = validateFaultPlan(plan);
    if (field.isEmpty()) {
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        return;
    }
    QVERIFY2(problem.startsWith(field + u' '), qPrintable(problem));
    // A refused plan leaves the one in force alone.
    QCOMPARE(m_simulator->setFaultPlan(plan), problem);
    QCOMPARE(m_simulator->faultPlan(), FaultPlan{});
}

void TestSimulator::healthySpeechIsPlayableMpeg()
{
    const HttpAnswer answer = m_client->speak(QStringLiteral("Hello, this is Breakwater calling."));
    QVERIFY(answer.finished);
    QCOMPARE(answer.error, QNetworkReply::NoError);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.contentType, QByteArrayLiteral("audio/mpeg"));
    QVERIFY(answer.body.size() > 4);
    QCOMPARE(quint8(answer.body[0]), quint8(0xFF));
    QCOMPARE(quint8(answer.body[1]), quint8(0xFB));
    const Mp3Walk walk = walkMp3Frames(answer.body);
    QVERIFY2(walk.ok(), qPrintable(walk.problem));
    QCOMPARE(walk.sampleRate, 44100);

    const HttpAnswer streamed = m_client->wait(m_client->postTextToSpeech(
        SimulatorTestClient::body(QStringLiteral("Streamed.")), SimulatorTestClient::kKey, {},
        QStringLiteral("/v1/text-to-speech/voice-1/stream")));
    QCOMPARE(streamed.status, 200);
    QVERIFY(walkMp3Frames(streamed.body).ok());
    QCOMPARE(m_simulator->counters().receivedAt(SimulatorEndpoint::TextToSpeech), 2u);
    QCOMPARE(m_simulator->counters().answeredAs(SimulatorOutcome::Ok), 2u);
}

void TestSimulator::audioGrowsWithTextAndIsBounded()
{
    const HttpAnswer shortSpeech = m_client->speak(QStringLiteral("Hi."));
    const HttpAnswer tenSeconds =
        m_client->speak(QString(150, u'a')); // about 15 characters a second
    const HttpAnswer longest = m_client->speak(QString(5000, u'a'));
    const Mp3Walk shortWalk = walkMp3Frames(shortSpeech.body);
    const Mp3Walk tenWalk = walkMp3Frames(tenSeconds.body);
    const Mp3Walk longestWalk = walkMp3Frames(longest.body);
    QVERIFY(shortWalk.ok() && tenWalk.ok() && longestWalk.ok());

    const double tenSecondsPlayed = tenWalk.frames * 1152.0 / tenWalk.sampleRate;
    QVERIFY2(tenSecondsPlayed > 9.5 && tenSecondsPlayed < 10.5,
             qPrintable(QString::number(tenSecondsPlayed)));
    QVERIFY(shortWalk.frames < tenWalk.frames);
    QVERIFY(tenWalk.frames < longestWalk.frames);
    QVERIFY(longest.body.size() <= SimulatedAudio::kMaxBytes);
}

void TestSimulator::outputFormats_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addRow("mp3_44100_64") << QStringLiteral("mp3_44100_64") << 200
                                  << QByteArrayLiteral("audio/mpeg");
    QTest::addRow("mp3_22050_32") << QStringLiteral("mp3_22050_32") << 200
                                  << QByteArrayLiteral("audio/mpeg");
    QTest::addRow("pcm_16000") << QStringLiteral("pcm_16000") << 200
                               << QByteArrayLiteral("audio/pcm");
    QTest::addRow("ulaw_8000") << QStringLiteral("ulaw_8000") << 200
                               << QByteArrayLiteral("audio/basic");
    QTest::addRow("unknown") << QStringLiteral("wav_44100") << 422
                             << QByteArrayLiteral("application/json");
    QTest::addRow("bad bitrate") << QStringLiteral("mp3_44100_100") << 422
                                 << QByteArrayLiteral("application/json");
}

void TestSimulator::outputFormats()
{
    QFETCH(QString, format);
    QFETCH(int, status);
    QFETCH(QByteArray, contentType);
    const HttpAnswer answer = m_client->speak(QStringLiteral("Format check, one two."), format);
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.contentType, contentType);
    if (contentType == "audio/mpeg") {
        const Mp3Walk walk = walkMp3Frames(answer.body);
        QVERIFY2(walk.ok(), qPrintable(walk.problem));
        QCOMPARE(walk.sampleRate, format.section(u'_', 1, 1).toInt());
    } else if (contentType == "audio/pcm") {
        QVERIFY(!answer.body.isEmpty());
        QCOMPARE(answer.body.size() % 2, 0);
    } else if (status == 422) {
        const QJsonArray detail =
            QJsonDocument::fromJson(answer.body).object().value(u"detail").toArray();
        QCOMPARE(detail.first().toObject().value(u"loc").toArray().last().toString(),
                 QStringLiteral("output_format"));
    }
}

void TestSimulator::modelsListsTextToSpeechModels()
{
    const HttpAnswer answer = m_client->models();
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.contentType, QByteArrayLiteral("application/json"));
    const QJsonDocument document = QJsonDocument::fromJson(answer.body);
    QVERIFY(document.isArray());
    QVERIFY(!document.array().isEmpty());
    const QJsonObject first = document.array().first().toObject();
    QCOMPARE(first.value(u"model_id").toString(), QStringLiteral("eleven_multilingual_v2"));
    QCOMPARE(first.value(u"can_do_text_to_speech").toBool(), true);
    QCOMPARE(m_simulator->counters().receivedAt(SimulatorEndpoint::Models), 1u);
}

void TestSimulator::subscriptionCountsCharacters()
{
    QCOMPARE(m_client->speak(QStringLiteral("twelve chars")).status, 200);
    const HttpAnswer answer =
        m_client->wait(m_client->get(QStringLiteral("/v1/user/subscription")));
    QCOMPARE(answer.status, 200);
    const QJsonObject body = QJsonDocument::fromJson(answer.body).object();
    QCOMPARE(body.value(u"character_count").toInteger(), 12);
    QVERIFY(body.value(u"character_limit").toInteger() > 12);
}

void TestSimulator::requestProblems_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body"); // empty: GET
    QTest::addColumn<bool>("withKey");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("vendorCode"); // detail.status, or the first detail item's type
    const QString tts = QStringLiteral("/v1/text-to-speech/voice-1");
    const QByteArray good = SimulatorTestClient::body(QStringLiteral("Hello"));
    QTest::addRow("missing key") << tts << good << false << 401
                                 << QStringLiteral("invalid_api_key");
    QTest::addRow("models without key") << QStringLiteral("/v1/models") << QByteArray() << false
                                        << 401 << QStringLiteral("invalid_api_key");
    QTest::addRow("not json") << tts << QByteArrayLiteral("text=hello") << true << 422
                              << QStringLiteral("json_invalid");
    QTest::addRow("no text") << tts << QByteArrayLiteral(R"({"model_id":"x"})") << true << 422
                             << QStringLiteral("missing");
    QTest::addRow("empty text") << tts << QByteArrayLiteral(R"({"text":""})") << true << 422
                                << QStringLiteral("string_too_short");
    QTest::addRow("too long") << tts << SimulatorTestClient::body(QString(5001, u'x')) << true
                              << 400 << QStringLiteral("max_character_limit_exceeded");
    QTest::addRow("unknown path") << QStringLiteral("/v1/nothing") << QByteArray() << true << 404
                                  << QString();
    QTest::addRow("get on tts") << tts << QByteArray() << true << 405 << QString();
}

void TestSimulator::requestProblems()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(bool, withKey);
    QFETCH(int, status);
    QFETCH(QString, vendorCode);
    const std::optional<QByteArray> key =
        withKey ? std::optional(SimulatorTestClient::kKey) : std::nullopt;
    const HttpAnswer answer =
        SimulatorTestClient::wait(body.isEmpty() ? m_client->get(path, key)
                                                 : m_client->postTextToSpeech(body, key, {}, path));
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.contentType, QByteArrayLiteral("application/json"));
    const QJsonValue detail = QJsonDocument::fromJson(answer.body).object().value(u"detail");
    QVERIFY2(!detail.isUndefined(), answer.body.constData());
    if (status == 422)
        QCOMPARE(detail.toArray().first().toObject().value(u"type").toString(), vendorCode);
    else if (!vendorCode.isEmpty())
        QCOMPARE(answer.detailStatus(), vendorCode);
    QCOMPARE(m_simulator->counters().answeredAs(SimulatorOutcome::ErrorStatus), 1u);
}

void TestSimulator::keepAliveReusesOneConnection()
{
    for (int i = 0; i < 5; ++i)
        QCOMPARE(m_client->speak(QStringLiteral("again")).status, 200);
    QCOMPARE(m_client->models().status, 200);
    QCOMPARE(m_simulator->counters().connections, 1u);
}

void TestSimulator::connectionCloseIsHonoured()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_simulator->port());
    QVERIFY(socket.waitForConnected(10000));
    socket.write("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nxi-api-key: k\r\n"
                 "Connection: close\r\n\r\n");
    QByteArray received;
    QTRY_VERIFY_WITH_TIMEOUT(
        (received += socket.readAll(), socket.state() == QAbstractSocket::UnconnectedState), 10000);
    received += socket.readAll();
    QVERIFY2(received.startsWith("HTTP/1.1 200 OK\r\n"), received.left(80).constData());
    QVERIFY(received.contains("\r\nconnection: close\r\n"));
    const QByteArray body = received.mid(received.indexOf("\r\n\r\n") + 4);
    const QByteArray contentLength =
        QByteArrayLiteral("\r\ncontent-length: ") + QByteArray::number(body.size());
    QVERIFY(received.contains(QByteArray(contentLength + "\r\n")));
    QVERIFY(QJsonDocument::fromJson(body).isArray());
}

void TestSimulator::statusFaults_data()
{
    QTest::addColumn<FaultMode>("mode");
    QTest::addColumn<int>("retryAfterSeconds");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("vendorCode");
    QTest::addColumn<QByteArray>("retryAfterHeader");
    QTest::addRow("503") << FaultMode::ServiceUnavailable << 1 << 503
                         << QStringLiteral("service_unavailable") << QByteArray();
    QTest::addRow("500") << FaultMode::InternalError << 1 << 500
                         << QStringLiteral("internal_server_error") << QByteArray();
    QTest::addRow("429 retry after 2")
        << FaultMode::RateLimited << 2 << 429 << QStringLiteral("too_many_concurrent_requests")
        << QByteArrayLiteral("2");
    QTest::addRow("429 without retry after")
        << FaultMode::RateLimited << 0 << 429 << QStringLiteral("too_many_concurrent_requests")
        << QByteArray();
    QTest::addRow("401 invalid key") << FaultMode::InvalidApiKey << 1 << 401
                                     << QStringLiteral("invalid_api_key") << QByteArray();
    QTest::addRow("401 quota") << FaultMode::QuotaExceeded << 1 << 401
                               << QStringLiteral("quota_exceeded") << QByteArray();
}

void TestSimulator::statusFaults()
{
    QFETCH(FaultMode, mode);
    QFETCH(int, retryAfterSeconds);
    QFETCH(int, status);
    QFETCH(QString, vendorCode);
    QFETCH(QByteArray, retryAfterHeader);
    FaultPlan plan = planOf(mode);
    plan.retryAfter = std::chrono::seconds(retryAfterSeconds);
    QVERIFY(m_simulator->setFaultPlan(plan).isEmpty());

    // The speech endpoint and the health endpoint answer alike.
    for (const HttpAnswer& answer :
         {m_client->speak(QStringLiteral("Hello")), m_client->models()}) {
        QVERIFY(answer.finished);
        QCOMPARE(answer.status, status);
        QCOMPARE(answer.contentType, QByteArrayLiteral("application/json"));
        QCOMPARE(answer.detailStatus(), vendorCode);
        QVERIFY(!QJsonDocument::fromJson(answer.body)
                     .object()
                     .value(u"detail")
                     .toObject()
                     .value(u"message")
                     .toString()
                     .isEmpty());
        QCOMPARE(answer.retryAfter, retryAfterHeader);
    }
    QCOMPARE(m_simulator->counters().answeredAs(SimulatorOutcome::ErrorStatus), 2u);

    // Restored: the next probe sees it.
    QVERIFY(m_simulator->setFaultPlan(FaultPlan{}).isEmpty());
    QCOMPARE(m_client->models().status, 200);
}

void TestSimulator::malformedIsA200ThatIsNotAudio()
{
    QVERIFY(m_simulator->setFaultPlan(planOf(FaultMode::MalformedBody)).isEmpty());
    const HttpAnswer answer = m_client->speak(QStringLiteral("Hello"));
    QCOMPARE(answer.error, QNetworkReply::NoError);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.contentType, QByteArrayLiteral("application/json"));
    QVERIFY(!answer.body.isEmpty());
    QJsonParseError error;
    QJsonDocument::fromJson(answer.body, &error);
    QVERIFY(error.error != QJsonParseError::NoError);
    QVERIFY(!walkMp3Frames(answer.body).ok());
    QCOMPARE(m_simulator->counters().answeredAs(SimulatorOutcome::Malformed), 1u);
}

void TestSimulator::hangNeverAnswers()
{
    QVERIFY(m_simulator->setFaultPlan(planOf(FaultMode::Hang)).isEmpty());
    QNetworkReply* speech =
        m_client->postTextToSpeech(SimulatorTestClient::body(QStringLiteral("Hi")));
    QNetworkReply* probe = m_client->get(QStringLiteral("/v1/models"));
    QTRY_COMPARE_WITH_TIMEOUT(m_simulator->counters().answeredAs(SimulatorOutcome::Hung), 2u,
                              10000);
    QTest::qWait(300);
    for (QNetworkReply* reply : {speech, probe}) {
        QVERIFY(!reply->isFinished());
        QCOMPARE(reply->bytesAvailable(), 0);
        QVERIFY(!reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid());
        reply->abort();
        reply->deleteLater();
    }
    // The client gave up; the server lets go of the connections too.
    QVERIFY(m_simulator->setFaultPlan(FaultPlan{}).isEmpty());
    QCOMPARE(m_client->models().status, 200);
}

void TestSimulator::resetDropsTheConnection()
{
    QVERIFY(m_simulator->setFaultPlan(planOf(FaultMode::ConnectionReset)).isEmpty());
    const HttpAnswer answer = m_client->speak(QStringLiteral("Hello"));
    QVERIFY(answer.finished);
    QCOMPARE(answer.status, 0);
    QCOMPARE(answer.error, QNetworkReply::RemoteHostClosedError);
    QVERIFY(m_simulator->counters().answeredAs(SimulatorOutcome::Reset) >= 1u);

    // On a bare socket the reset shows as such, with no byte of an answer.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_simulator->port());
    QVERIFY(socket.waitForConnected(10000));
    socket.write("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nxi-api-key: k\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, 10000);
    QCOMPARE(socket.error(), QAbstractSocket::RemoteHostClosedError);
    QCOMPARE(socket.readAll(), QByteArray());
}

void TestSimulator::slowAnswersNoSoonerThanTheLatency()
{
    FaultPlan plan = planOf(FaultMode::Slow);
    plan.latency = 400ms;
    QVERIFY(m_simulator->setFaultPlan(plan).isEmpty());
    QElapsedTimer elapsed;
    elapsed.start();
    const HttpAnswer answer = m_client->speak(QStringLiteral("Slowly now."));
    QVERIFY(elapsed.elapsed() >= 400);
    QCOMPARE(answer.status, 200);
    QVERIFY(walkMp3Frames(answer.body).ok());

    // A client that gives up first is counted as gone, and the server survives it.
    QNetworkReply* impatient =
        m_client->postTextToSpeech(SimulatorTestClient::body(QStringLiteral("Hi")));
    QTRY_COMPARE_WITH_TIMEOUT(m_simulator->counters().receivedAt(SimulatorEndpoint::TextToSpeech),
                              2u, 10000);
    impatient->abort();
    impatient->deleteLater();
    QTRY_COMPARE_WITH_TIMEOUT(m_simulator->counters().answeredAs(SimulatorOutcome::Abandoned), 1u,
                              10000);
}

void TestSimulator::latencyDelaysFaultsToo()
{
    FaultPlan plan = planOf(FaultMode::ServiceUnavailable);
    plan.latency = 300ms;
    QVERIFY(m_simulator->setFaultPlan(plan).isEmpty());
    QElapsedTimer elapsed;
    elapsed.start();
    QCOMPARE(m_client->models().status, 503);
    QVERIFY(elapsed.elapsed() >= 300);
}

void TestSimulator::aRequestKeepsThePlanItArrivedUnder()
{
    FaultPlan slow = planOf(FaultMode::Slow);
    slow.latency = 500ms;
    QVERIFY(m_simulator->setFaultPlan(slow).isEmpty());
    QNetworkReply* early =
        m_client->postTextToSpeech(SimulatorTestClient::body(QStringLiteral("Hi")));
    QTRY_COMPARE_WITH_TIMEOUT(m_simulator->counters().receivedAt(SimulatorEndpoint::TextToSpeech),
                              1u, 10000);
    QVERIFY(m_simulator->setFaultPlan(planOf(FaultMode::ServiceUnavailable)).isEmpty());
    QCOMPARE(m_client->models().status, 503);
    QCOMPARE(SimulatorTestClient::wait(early).status, 200);
}

void TestSimulator::flappingIsReproducibleAndRoughlyProportional()
{
    FaultPlan plan = planOf(FaultMode::Flapping);
    plan.flappingFailureRate = 0.3;
    plan.flappingFailure = FaultMode::ServiceUnavailable;
    plan.seed = 7;

    const auto run = [&](int requests) {
        QList<int> statuses;
        for (int i = 0; i < requests; ++i)
            statuses << m_client->models().status;
        return statuses;
    };
    QVERIFY(m_simulator->setFaultPlan(plan).isEmpty());
    const QList<int> first = run(40);
    QVERIFY(m_simulator->setFaultPlan(plan).isEmpty()); // the same plan again: the same sequence
    QCOMPARE(run(40), first);
    QVERIFY(first.contains(200));
    QVERIFY(first.contains(503));
    for (const int status : first)
        QVERIFY(status == 200 || status == 503);

    plan.seed = 8;
    QVERIFY(m_simulator->setFaultPlan(plan).isEmpty());
    const QList<int> many = run(400);
    const auto failures = many.count(503);
    QVERIFY2(failures >= 80 && failures <= 160, qPrintable(QString::number(failures)));
}

void TestSimulator::listenerHearsEachChange()
{
    struct Report
    {
        FaultPlan before, after;
        std::thread::id thread;
    };
    std::vector<Report> reports;
    QMutex reportsMutex;
    m_simulator->setPlanListener([&](const FaultPlan& before, const FaultPlan& after) {
        const QMutexLocker lock(&reportsMutex);
        reports.push_back({before, after, std::this_thread::get_id()});
    });

    QVERIFY(m_simulator->setFaultPlan(planOf(FaultMode::ServiceUnavailable)).isEmpty());
    QVERIFY(m_simulator->setFaultPlan(planOf(FaultMode::ServiceUnavailable)).isEmpty());
    FaultPlan invalid = planOf(FaultMode::Flapping);
    invalid.flappingFailureRate = 2.0;
    QVERIFY(!m_simulator->setFaultPlan(invalid).isEmpty());
    std::thread::id otherThread;
    std::thread setter([&] {
        otherThread = std::this_thread::get_id();
        m_simulator->setFaultPlan(FaultPlan{});
    });
    setter.join();

    QCOMPARE(reports.size(), 2u);
    QCOMPARE(reports[0].before, FaultPlan{});
    QCOMPARE(reports[0].after, planOf(FaultMode::ServiceUnavailable));
    QVERIFY(reports[0].thread == std::this_thread::get_id());
    QCOMPARE(reports[1].before, planOf(FaultMode::ServiceUnavailable));
    QCOMPARE(reports[1].after, FaultPlan{});
    QVERIFY(reports[1].thread == otherThread);
}

void TestSimulator::planChangesWhileRequestsAreInFlight()
{
    SimulatorHost host;
    QVERIFY2(host.start(), qPrintable(host.errorString()));
    SimulatorTestClient client(host.baseUrl());

    std::atomic<bool> done = false;
    std::thread switcher([&] {
        FaultPlan rateLimited = planOf(FaultMode::RateLimited);
        rateLimited.retryAfter = 1s;
        const FaultPlan plans[] = {planOf(FaultMode::ServiceUnavailable), rateLimited, FaultPlan{}};
        for (int i = 0; !done.load(); ++i) {
            host.setFaultPlan(plans[i % 3]);
            (void)host.faultPlan();
            std::this_thread::sleep_for(1ms);
        }
    });

    constexpr int kRequests = 150;
    std::vector<QNetworkReply*> replies;
    for (int i = 0; i < kRequests; ++i)
        replies.push_back(
            i % 3 == 0 ? client.get(QStringLiteral("/v1/models"))
                       : client.postTextToSpeech(SimulatorTestClient::body(QStringLiteral("Hi"))));
    int ok = 0;
    for (QNetworkReply* reply : replies) {
        const HttpAnswer answer = SimulatorTestClient::wait(reply);
        QVERIFY(answer.finished);
        if (answer.status == 200) {
            ++ok;
            continue;
        }
        QVERIFY2(answer.status == 503 || answer.status == 429,
                 qPrintable(QString::number(answer.status)));
        QVERIFY(!answer.detailStatus().isEmpty());
    }
    done = true;
    switcher.join();
    host.setFaultPlan(FaultPlan{});
    QCOMPARE(client.models().status, 200);
    const SimulatorCounters counters = host.counters();
    QCOMPARE(counters.totalReceived(), quint64(kRequests + 1));
    QCOMPARE(counters.answeredAs(SimulatorOutcome::Ok), quint64(ok + 1));
}

void TestSimulator::hostStopsCleanlyWithHungConnections()
{
    SimulatorHost host;
    QVERIFY(host.setFaultPlan(planOf(FaultMode::Hang)).isEmpty()); // before start: it applies
    QVERIFY2(host.start(), qPrintable(host.errorString()));
    QVERIFY(host.isRunning());
    QVERIFY(host.port() != 0);
    QCOMPARE(host.thread()->objectName(), QStringLiteral("bw-simulator"));
    QVERIFY(host.thread()->isRunning());
    QVERIFY(!host.start()); // already running
    QVERIFY(!host.errorString().isEmpty());

    SimulatorTestClient client(host.baseUrl());
    std::vector<QNetworkReply*> replies;
    for (int i = 0; i < 3; ++i)
        replies.push_back(client.postTextToSpeech(SimulatorTestClient::body(QStringLiteral("Hi"))));
    QTRY_COMPARE_WITH_TIMEOUT(host.counters().answeredAs(SimulatorOutcome::Hung), 3u, 10000);

    host.stop();
    QVERIFY(!host.isRunning());
    QVERIFY(host.thread() == nullptr);
    QCOMPARE(host.port(), quint16(0));
    for (QNetworkReply* reply : replies) {
        const HttpAnswer answer = SimulatorTestClient::wait(reply);
        QVERIFY(answer.finished);
        QVERIFY(answer.error != QNetworkReply::NoError);
    }

    // The same host serves again, with the plan it kept.
    QVERIFY(host.setFaultPlan(FaultPlan{}).isEmpty());
    QVERIFY2(host.start(), qPrintable(host.errorString()));
    SimulatorTestClient again(host.baseUrl());
    QCOMPARE(again.models().status, 200);
}

void TestSimulator::portInUseIsAClearError()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    const quint16 taken = occupant.serverPort();

    ElevenLabsSimulator simulator;
    QVERIFY(!simulator.start(QHostAddress::LocalHost, taken));
    QVERIFY2(simulator.errorString().contains(QString::number(taken)),
             qPrintable(simulator.errorString()));
    QVERIFY(!simulator.isListening());

    SimulatorHost host;
    QVERIFY(!host.start(QHostAddress::LocalHost, taken));
    QVERIFY2(host.errorString().contains(QStringLiteral("in use")), qPrintable(host.errorString()));
    QVERIFY(!host.isRunning());
    QVERIFY(host.thread() == nullptr);
}

QTEST_GUILESS_MAIN(TestSimulator)
#include "tst_simulator.moc"
