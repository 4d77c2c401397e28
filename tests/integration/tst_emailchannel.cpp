#include "alerts/channels/emailchannel.h"
#include "alertsamples.h"
#include "backgrounddelivery.h"
#include "rfc5322message.h"
#include "smtptestserver.h"
#include "testcertificate.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTest>

#include <chrono>
#include <memory>
#include <optional>

using namespace breakwater;
using namespace breakwater::testing;
using namespace std::chrono_literals;
using Outcome = DeliveryAttempt::Outcome;

Q_DECLARE_METATYPE(breakwater::testing::SmtpStage)

namespace {

// Generous: a loaded 2-core machine may be slow, and a passing test never waits this long.
constexpr int kWaitMs = 20000;
const QByteArray kUser = "alerts@breakwater.test";
const QByteArray kPassword = "s3cret-Pa55 w0rd";
// Not ASCII, so that the subject must be RFC 2047 encoded to arrive intact.
const QString kService = QStringLiteral("Sprachdienst Köln ☎");

Delivery emailDelivery(const QString& id = QStringLiteral("dlv-mail-0001"))
{
    return sampleDelivery(id, QStringLiteral("email"), sampleNotification(kService));
}

} // namespace

class TestEmailChannel final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void deliversOverPlainSmtp();
    void deliversWithRequiredStartTls();
    void deliversOverImplicitTls();
    void authenticates();
    void wrongPasswordIsRefusedWithoutLeakingIt();
    void classifiesReplies_data();
    void classifiesReplies();
    void refusesWithoutStartTlsWhenRequired();
    void composesWellFormedMessage();

private:
    SmtpServerOptions tlsOptions(SmtpTlsMode mode) const;
    EmailChannelSettings settingsFor(const SmtpTestServer& server) const;
    // One delivery through a fresh channel; nullopt when it did not end in time.
    std::optional<DeliveryAttempt> deliver(const EmailChannelSettings& settings,
                                           const Delivery& delivery = emailDelivery());

    std::unique_ptr<TestCertificate> m_certificate;
};

void TestEmailChannel::initTestCase()
{
    m_certificate = std::make_unique<TestCertificate>();
    // Without openssl the TLS tests must fail, not skip.
    QVERIFY2(m_certificate->isValid(), qPrintable(m_certificate->errorString()));
}

SmtpServerOptions TestEmailChannel::tlsOptions(SmtpTlsMode mode) const
{
    SmtpServerOptions options;
    options.tls = mode;
    options.certificate = m_certificate->certificate();
    options.privateKey = m_certificate->privateKey();
    options.requireTls = mode != SmtpTlsMode::None;
    return options;
}

EmailChannelSettings TestEmailChannel::settingsFor(const SmtpTestServer& server) const
{
    EmailChannelSettings settings;
    settings.url = server.url();
    settings.from = QStringLiteral("Breakwater <alerts@breakwater.test>");
    settings.to = {QStringLiteral("On call <oncall@example.com>"),
                   QStringLiteral("ops@example.com")};
    settings.requireTls = true;
    settings.caFile = m_certificate->caFilePath();
    return settings;
}

std::optional<DeliveryAttempt> TestEmailChannel::deliver(const EmailChannelSettings& settings,
                                                         const Delivery& delivery)
{
    EmailChannel channel(settings, 10s);
    return deliverInBackground(channel, delivery, kWaitMs);
}

void TestEmailChannel::deliversOverPlainSmtp()
{
    SmtpTestServer server;
    QVERIFY2(server.isListening(), qPrintable(server.errorString()));
    EmailChannelSettings settings = settingsFor(server);
    settings.requireTls = false;

    const std::optional<DeliveryAttempt> attempt = deliver(settings);
    QVERIFY(attempt);
    QVERIFY2(attempt->outcome == Outcome::Delivered, describe(*attempt));
    QCOMPARE(attempt->status, 250);
    QCOMPARE(server.messages().size(), std::size_t(1));
    const SmtpReceivedMessage& message = server.messages().front();
    QCOMPARE(message.sender, kUser);
    QCOMPARE(message.recipients, QByteArrayList({"oncall@example.com", "ops@example.com"}));
    QVERIFY(!message.encrypted);
}

void TestEmailChannel::deliversWithRequiredStartTls()
{
    SmtpTestServer server(tlsOptions(SmtpTlsMode::StartTls));
    QVERIFY2(server.isListening(), qPrintable(server.errorString()));

    const std::optional<DeliveryAttempt> attempt = deliver(settingsFor(server));
    QVERIFY(attempt);
    QVERIFY2(attempt->outcome == Outcome::Delivered, describe(*attempt));
    QCOMPARE(server.messages().size(), std::size_t(1));
    QVERIFY(server.messages().front().encrypted);
    QVERIFY(server.verbs().contains("STARTTLS"));
}

void TestEmailChannel::deliversOverImplicitTls()
{
    SmtpTestServer server(tlsOptions(SmtpTlsMode::Implicit));
    QVERIFY2(server.isListening(), qPrintable(server.errorString()));
    QCOMPARE(server.url().scheme(), QStringLiteral("smtps"));

    const std::optional<DeliveryAttempt> attempt = deliver(settingsFor(server));
    QVERIFY(attempt);
    QVERIFY2(attempt->outcome == Outcome::Delivered, describe(*attempt));
    QCOMPARE(server.messages().size(), std::size_t(1));
    QVERIFY(server.messages().front().encrypted);
}

void TestEmailChannel::authenticates()
{
    SmtpServerOptions options = tlsOptions(SmtpTlsMode::StartTls);
    options.requireAuth = true;
    options.username = kUser;
    options.password = kPassword;
    SmtpTestServer server(options);
    QVERIFY2(server.isListening(), qPrintable(server.errorString()));
    EmailChannelSettings settings = settingsFor(server);
    settings.username = QString::fromUtf8(kUser);
    settings.password = QString::fromUtf8(kPassword);

    const std::optional<DeliveryAttempt> attempt = deliver(settings);
    QVERIFY(attempt);
    QVERIFY2(attempt->outcome == Outcome::Delivered, describe(*attempt));
    QCOMPARE(server.messages().size(), std::size_t(1));
    QCOMPARE(server.messages().front().authenticatedUser, kUser);
}

void TestEmailChannel::wrongPasswordIsRefusedWithoutLeakingIt()
{
    SmtpServerOptions options = tlsOptions(SmtpTlsMode::StartTls);
    options.requireAuth = true;
    options.username = kUser;
    options.password = kPassword;
    SmtpTestServer server(options);
    QVERIFY2(server.isListening(), qPrintable(server.errorString()));
    EmailChannelSettings settings = settingsFor(server);
    settings.username = QString::fromUtf8(kUser);
    settings.password = QStringLiteral("guessed-Pa55word");

    const std::optional<DeliveryAttempt> attempt = deliver(settings);
    QVERIFY(attempt);
    QCOMPARE(attempt->outcome, Outcome::Permanent);
    QCOMPARE(attempt->status, 535);
    QVERIFY(server.messages().empty());
    // Neither the password tried nor its AUTH PLAIN form (base64 of "\0user\0password").
    const QByteArray plainForm =
        QByteArray('\0' + kUser + '\0' + settings.password.toUtf8()).toBase64();
    QVERIFY2(!attempt->detail.contains(settings.password), qPrintable(attempt->detail));
    QVERIFY2(!attempt->detail.contains(QString::fromLatin1(plainForm)),
             qPrintable(attempt->detail));
    QVERIFY2(!EmailChannel(settings, 1s).destination().contains(settings.password),
             qPrintable(EmailChannel(settings, 1s).destination()));
}

void TestEmailChannel::classifiesReplies_data()
{
    QTest::addColumn<SmtpStage>("stage");
    QTest::addColumn<int>("code");
    QTest::addColumn<Outcome>("outcome");

    QTest::addRow("451 at the end of DATA") << SmtpStage::DataEnd << 451 << Outcome::Transient;
    QTest::addRow("554 at the end of DATA") << SmtpStage::DataEnd << 554 << Outcome::Permanent;
    QTest::addRow("452 to MAIL") << SmtpStage::MailFrom << 452 << Outcome::Transient;
    QTest::addRow("550 to RCPT") << SmtpStage::RcptTo << 550 << Outcome::Permanent;
    QTest::addRow("421 greeting") << SmtpStage::Greeting << 421 << Outcome::Transient;
}

void TestEmailChannel::classifiesReplies()
{
    QFETCH(SmtpStage, stage);
    QFETCH(int, code);
    QFETCH(Outcome, outcome);
    SmtpTestServer server;
    QVERIFY2(server.isListening(), qPrintable(server.errorString()));
    // Both recipients: a refusal of only one would still let the message go to the other.
    server.failNext(stage, code, stage == SmtpStage::RcptTo ? 2 : 1);
    EmailChannelSettings settings = settingsFor(server);
    settings.requireTls = false;

    const std::optional<DeliveryAttempt> attempt = deliver(settings);
    QVERIFY(attempt);
    QVERIFY2(attempt->outcome == outcome, describe(*attempt));
    QCOMPARE(attempt->status, code);
    QVERIFY2(attempt->detail.contains(QString::number(code)), qPrintable(attempt->detail));
    QVERIFY(server.messages().empty());
}

void TestEmailChannel::refusesWithoutStartTlsWhenRequired()
{
    SmtpTestServer server; // plain, no STARTTLS on offer
    QVERIFY2(server.isListening(), qPrintable(server.errorString()));

    const std::optional<DeliveryAttempt> attempt = deliver(settingsFor(server));
    QVERIFY(attempt);
    QCOMPARE(attempt->outcome, Outcome::Permanent);
    QVERIFY2(attempt->detail.contains(u"STARTTLS") && attempt->detail.contains(u"require_tls"),
             qPrintable(attempt->detail));
    QVERIFY(server.messages().empty());
    QVERIFY(!server.verbs().contains("MAIL")); // nothing went out in the clear
}

void TestEmailChannel::composesWellFormedMessage()
{
    SmtpTestServer server(tlsOptions(SmtpTlsMode::StartTls));
    QVERIFY2(server.isListening(), qPrintable(server.errorString()));
    const Delivery delivery = emailDelivery(QStringLiteral("0b6c2d1e-7f3a-4c55-9a0e-d1f2c3b4a596"));

    EmailChannelSettings settings = settingsFor(server);
    // Long names that are not ASCII: encoded, folded, and the address still readable.
    settings.from =
        QStringLiteral("Breakwater Störungsmelder für Sprachdienste <alerts@breakwater.test>");
    settings.to = {QStringLiteral("Jürgen Müller-Lüdenscheidt, Bereitschaft <jm@example.de>"),
                   QStringLiteral("ops@example.com")};

    const std::optional<DeliveryAttempt> attempt = deliver(settings, delivery);
    QVERIFY(attempt);
    QVERIFY2(attempt->outcome == Outcome::Delivered, describe(*attempt));
    QCOMPARE(server.messages().size(), std::size_t(1));
    QCOMPARE(server.messages().front().recipients,
             QByteArrayList({"jm@example.de", "ops@example.com"}));
    const QByteArray& raw = server.messages().front().data;
    const Rfc5322Message message = Rfc5322Message::parse(raw);
    QVERIFY2(message.problems().isEmpty(), qPrintable(message.problems().join(u"; ")));

    const QDateTime date =
        QDateTime::fromString(QString::fromLatin1(message.header("Date")), Qt::RFC2822Date);
    QVERIFY2(date.isValid(), message.header("Date"));
    QCOMPARE(date.toMSecsSinceEpoch(), std::chrono::duration_cast<std::chrono::milliseconds>(
                                           delivery.queuedAt.time_since_epoch())
                                           .count());
    QCOMPARE(message.from(), settings.from);
    QCOMPARE(message.decodedHeader("To"), settings.to.join(QStringLiteral(", ")));
    QCOMPARE(message.subject(), delivery.notification.title());
    QVERIFY(message.subject().contains(kService));
    // The delivery id is the idempotency key: a mail system that sees it twice can tell.
    const QByteArray messageId = message.header("Message-ID");
    QVERIFY2(QRegularExpression(QStringLiteral("^<[^<>@\\s]+@[^<>@\\s]+>$"))
                 .match(QString::fromLatin1(messageId))
                 .hasMatch(),
             messageId);
    QVERIFY2(messageId.contains(delivery.id.toLatin1()), messageId);
    QCOMPARE(message.header("MIME-Version"), QByteArray("1.0"));
    QCOMPARE(message.mimeType(), QByteArray("text/plain"));
    QCOMPARE(message.charset(), QByteArray("utf-8"));
    for (const Alert& alert : delivery.notification.alerts)
        QVERIFY2(message.text().contains(alert.summary), qPrintable(message.text()));
    QVERIFY(message.text().contains(kService));

    // RFC 2047 section 2: a header line holding an encoded-word is at most 76 characters.
    for (const QByteArray& line : raw.first(raw.indexOf("\r\n\r\n")).split('\n')) {
        const QByteArray bare = line.chopped(line.endsWith('\r') ? 1 : 0);
        if (bare.contains("=?"))
            QVERIFY2(bare.size() <= 76, bare);
    }
}

QTEST_GUILESS_MAIN(TestEmailChannel)
#include "tst_emailchannel.moc"
