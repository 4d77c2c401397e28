#include "alerts/alertrules.h"
#include "alerts/channels/emailmessage.h"
#include "alerts/channels/webhooksignature.h"
#include "alerts/notificationtext.h"
#include "alerttesthelpers.h"

#include <QMessageAuthenticationCode>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QTest>

using namespace std::chrono_literals;
using namespace breakwater;
using namespace breakwater::alerttest;

namespace {

// The signature computed apart from the code under test: Qt's HMAC, not OpenSSL's.
QByteArray independentSignature(const QByteArray& key, const QByteArray& id, qint64 timestamp,
                                const QByteArray& body)
{
    const QByteArray content = id + '.' + QByteArray::number(timestamp) + '.' + body;
    return "v1," +
           QMessageAuthenticationCode::hash(content, key, QCryptographicHash::Sha256).toBase64();
}

std::optional<QString> strictUtf8(const QByteArray& bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

std::optional<QByteArray> strictBase64(const QByteArray& text)
{
    const auto decoded =
        QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return *decoded;
}

// An RFC 2047 "=?UTF-8?B?...?=" word decoded on its own: each must be whole UTF-8, not a part
// of a character whose rest is in the next word.
std::optional<QString> decodeWord(const QByteArray& word, QString* why)
{
    static const QRegularExpression pattern(
        QStringLiteral("^=\\?UTF-8\\?B\\?([A-Za-z0-9+/]*={0,2})\\?=$"));
    const QRegularExpressionMatch match = pattern.match(QString::fromLatin1(word));
    if (!match.hasMatch()) {
        *why = QStringLiteral("not an encoded word: ") + QString::fromLatin1(word);
        return std::nullopt;
    }
    if (word.size() > 75) {
        *why = QStringLiteral("an encoded word of %1 characters").arg(word.size());
        return std::nullopt;
    }
    const std::optional<QByteArray> bytes = strictBase64(match.captured(1).toLatin1());
    if (!bytes) {
        *why = QStringLiteral("bad base64 in ") + QString::fromLatin1(word);
        return std::nullopt;
    }
    std::optional<QString> text = strictUtf8(*bytes);
    if (!text)
        *why = QStringLiteral("a UTF-8 character split at ") + QString::fromLatin1(word);
    return text;
}

// A header value as a reader decodes it: unfolded, adjacent encoded words joined without the
// space between them (RFC 2047 6.2), plain words kept as they are.
std::optional<QString> decodeHeaderValue(const QByteArray& value, QString* why)
{
    QByteArray unfolded = value;
    unfolded.replace("\r\n ", " ");
    if (unfolded.contains('\r') || unfolded.contains('\n')) {
        *why = QStringLiteral("a line break that is not a fold");
        return std::nullopt;
    }
    QString out;
    bool previousEncoded = false;
    const QByteArrayList words = unfolded.split(' ');
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QByteArray& word = words[i];
        const bool encoded = word.startsWith("=?");
        if (encoded) {
            const std::optional<QString> text = decodeWord(word, why);
            if (!text)
                return std::nullopt;
            if (i > 0 && !previousEncoded)
                out += QLatin1Char(' ');
            out += *text;
        } else {
            if (i > 0)
                out += QLatin1Char(' ');
            out += QString::fromUtf8(word);
        }
        previousEncoded = encoded;
    }
    return out;
}

struct ParsedMail
{
    QList<std::pair<QByteArray, QByteArray>> fields; // values unfolded, CRLF kept out
    QByteArray rawFields;                            // as sent, folds and all
    QByteArray body;

    QByteArrayList values(const QByteArray& name) const
    {
        QByteArrayList found;
        for (const auto& [n, v] : fields) {
            if (n.compare(name, Qt::CaseInsensitive) == 0)
                found.append(v);
        }
        return found;
    }
};

// Takes a message apart, insisting on CRLF and on every header line being a field or a fold.
std::optional<ParsedMail> parseMail(const QByteArray& message, QString* why)
{
    for (qsizetype i = 0; i < message.size(); ++i) {
        if (message[i] == '\n' && (i == 0 || message[i - 1] != '\r')) {
            *why = QStringLiteral("a bare LF at %1").arg(i);
            return std::nullopt;
        }
        if (message[i] == '\r' && (i + 1 == message.size() || message[i + 1] != '\n')) {
            *why = QStringLiteral("a bare CR at %1").arg(i);
            return std::nullopt;
        }
    }
    const qsizetype split = message.indexOf("\r\n\r\n");
    if (split < 0) {
        *why = QStringLiteral("no empty line after the header");
        return std::nullopt;
    }
    ParsedMail mail;
    mail.rawFields = message.left(split + 2);
    mail.body = message.mid(split + 4);
    for (const QByteArray& line : message.left(split).split('\n')) {
        const QByteArray content = line.endsWith('\r') ? line.chopped(1) : line;
        if (content.size() > 998) {
            *why = QStringLiteral("a header line over 998 characters");
            return std::nullopt;
        }
        if (content.startsWith(' ') || content.startsWith('\t')) {
            if (mail.fields.isEmpty()) {
                *why = QStringLiteral("a fold before the first field");
                return std::nullopt;
            }
            mail.fields.last().second += "\r\n" + content;
            continue;
        }
        const qsizetype colon = content.indexOf(':');
        static const QRegularExpression fieldName(QStringLiteral("^[!-9;-~]+$"));
        if (colon <= 0 || !fieldName.match(QString::fromLatin1(content.left(colon))).hasMatch()) {
            *why = QStringLiteral("not a header field: ") + QString::fromUtf8(content);
            return std::nullopt;
        }
        QByteArray value = content.mid(colon + 1);
        if (value.startsWith(' '))
            value.remove(0, 1);
        mail.fields.append({content.left(colon), value});
    }
    return mail;
}

Delivery sampleDelivery()
{
    Delivery delivery;
    delivery.id = QStringLiteral("5b0c3e4a-8f1d-4c2e-9a7b-2d6f1e0c9b83");
    delivery.channel = QStringLiteral("email");
    delivery.queuedAt = wallAt(2h + 3min + 4s);
    Notification& n = delivery.notification;
    n.service = kElevenLabs;
    n.createdAt = wallAt(2h + 3min + 4s);
    Alert open = firingAlert(alertrule::kBreakerOpen, kElevenLabs, {}, wallAt(2h));
    open.description =
        QStringLiteral("Ausfall: 5 Fehler in Folge \u2014 \u201e503\u201c \U0001F525 "
                       "\u30b5\u30fc\u30d3\u30b9\u505c\u6b62");
    n.alerts.push_back(open);
    Alert refused =
        firingAlert(alertrule::kPermanentError, kElevenLabs,
                    {{QStringLiteral("error_code"), QStringLiteral("quota_exceeded")}}, wallAt(1h));
    n.alerts.push_back(resolvedCopy(refused, wallAt(2h + 1min)));
    return delivery;
}

} // namespace

class TestAlertWireFormats : public QObject
{
    Q_OBJECT

private slots:
    // webhooksignature.h
    void signatureMatchesTheStandardWebhooksVector();
    void signatureMatchesAnIndependentHmac_data();
    void signatureMatchesAnIndependentHmac();
    void signatureCoversIdTimestampAndBody();
    void signingKey_data();
    void signingKey();

    // emailmessage.h
    void mailboxAddress_data();
    void mailboxAddress();
    void encodeHeaderValueLeavesAsciiAlone_data();
    void encodeHeaderValueLeavesAsciiAlone();
    void encodeHeaderValueDecodesBack_data();
    void encodeHeaderValueDecodesBack();
    void composedEmailHasEveryField();
    void composedEmailBodyDecodesToThePlainText();
    void composedEmailWithNonAsciiNamesAndSubject();
    void composedEmailCannotBeInjectedInto();
    void composedEmailIsTheSameOnEveryRetry();
};

// The Standard Webhooks test vector (secret, id, timestamp, body and signature) that the
// specification's reference libraries and their ports test against; recomputed independently
// with `openssl dgst -sha256 -mac HMAC` before it was written down here.
void TestAlertWireFormats::signatureMatchesTheStandardWebhooksVector()
{
    const QByteArray key =
        webhookSigningKey(QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    QCOMPARE(key.toBase64(), QByteArray("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    const QByteArray signature = webhookSignature(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                                                  R"({"test": 2432232314})");
    QCOMPARE(signature, QByteArray("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
}

void TestAlertWireFormats::signatureMatchesAnIndependentHmac_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QByteArray>("id");
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<QByteArray>("body");
    const QByteArray payload = R"({"version":"4","status":"firing","alerts":[]})";
    QTest::addRow("plain secret") << QStringLiteral("s3cr3t") << QByteArray("msg_1")
                                  << qint64(1767225600) << payload;
    QTest::addRow("whsec secret") << QString(QStringLiteral("whsec_") +
                                             QString::fromLatin1(QByteArray(32, '\x5a').toBase64()))
                                  << QByteArray("5b0c3e4a-8f1d-4c2e-9a7b-2d6f1e0c9b83")
                                  << qint64(1767225600) << payload;
    QTest::addRow("empty body") << QStringLiteral("key") << QByteArray("id") << qint64(0)
                                << QByteArray();
    QTest::addRow("binary body") << QStringLiteral("key") << QByteArray("id") << qint64(1)
                                 << QByteArray("\x00\x01\xff.\r\n", 6);
    QTest::addRow("non-ASCII secret") << QStringLiteral("geheim-\u00fc\u00df-\U0001F511")
                                      << QByteArray("msg") << qint64(42) << payload;
    QTest::addRow("key longer than a SHA-256 block")
        << QString(200, QLatin1Char('k')) << QByteArray("msg") << qint64(42) << payload;
    QTest::addRow("large timestamp")
        << QStringLiteral("key") << QByteArray("msg") << qint64(253402300799) << payload;
    QTest::addRow("large body") << QStringLiteral("key") << QByteArray("msg") << qint64(7)
                                << QByteArray(1 << 20, 'x');
}

void TestAlertWireFormats::signatureMatchesAnIndependentHmac()
{
    QFETCH(QString, secret);
    QFETCH(QByteArray, id);
    QFETCH(qint64, timestamp);
    QFETCH(QByteArray, body);
    const QByteArray key = webhookSigningKey(secret);
    const QByteArray signature = webhookSignature(key, id, timestamp, body);
    QCOMPARE(signature, independentSignature(key, id, timestamp, body));
    QVERIFY(signature.startsWith("v1,"));
    const std::optional<QByteArray> digest = strictBase64(signature.mid(3));
    QVERIFY(digest);
    QCOMPARE(digest->size(), 32);
}

void TestAlertWireFormats::signatureCoversIdTimestampAndBody()
{
    const QByteArray key = webhookSigningKey(QStringLiteral("key"));
    const QByteArray base = webhookSignature(key, "msg_1", 100, "{}");
    QCOMPARE(webhookSignature(key, "msg_1", 100, "{}"), base);
    QCOMPARE_NE(webhookSignature(key, "msg_2", 100, "{}"), base);
    QCOMPARE_NE(webhookSignature(key, "msg_1", 101, "{}"), base);
    QCOMPARE_NE(webhookSignature(key, "msg_1", 100, "{ }"), base);
    QCOMPARE_NE(webhookSignature(webhookSigningKey(QStringLiteral("kez")), "msg_1", 100, "{}"),
                base);
    // The dots separate: moving one between the parts changes what is signed.
    QCOMPARE_NE(webhookSignature(key, "msg_1.1", 0, "{}"),
                webhookSignature(key, "msg_1", 10, "{}"));
}

void TestAlertWireFormats::signingKey_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QByteArray>("key");
    const QByteArray random("\x8f\x00\x13\xfe\x42\x99\xa0\x01\x7f\x80\xff\x10\x20\x30\x40\x50", 16);
    QTest::addRow("whsec, padded")
        << QString(QStringLiteral("whsec_") + QString::fromLatin1(random.toBase64())) << random;
    QTest::addRow("whsec, unpadded")
        << QString(QStringLiteral("whsec_") +
                   QString::fromLatin1(random.toBase64(QByteArray::OmitTrailingEquals)))
        << random;
    QTest::addRow("plain text") << QStringLiteral("correct horse battery staple")
                                << QByteArray("correct horse battery staple");
    QTest::addRow("non-ASCII text")
        << QStringLiteral("schl\u00fcssel") << QByteArray("schl\xc3\xbcssel");
    QTest::addRow("prefix only in the middle")
        << QStringLiteral("my whsec_c2VjcmV0") << QByteArray("my whsec_c2VjcmV0");
    // webhooksignature.h: only "whsec_<base64>" is decoded; any other text is the key as UTF-8.
    QTest::addRow("whsec, not base64")
        << QStringLiteral("whsec_not base64!") << QByteArray("whsec_not base64!");
    QTest::addRow("empty") << QString() << QByteArray();
}

void TestAlertWireFormats::signingKey()
{
    QFETCH(QString, secret);
    QFETCH(QByteArray, key);
    QCOMPARE(webhookSigningKey(secret), key);
}

void TestAlertWireFormats::mailboxAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("address"); // null: refused
    QTest::addRow("bare") << QStringLiteral("ops@example.com") << QByteArray("ops@example.com");
    QTest::addRow("bare, spaces") << QStringLiteral("  ops@example.com ")
                                  << QByteArray("ops@example.com");
    QTest::addRow("name and address")
        << QStringLiteral("Ops Team <ops@example.com>") << QByteArray("ops@example.com");
    QTest::addRow("angle only") << QStringLiteral("<ops@example.com>")
                                << QByteArray("ops@example.com");
    QTest::addRow("quoted name with a comma")
        << QStringLiteral("\"Doe, John\" <john@example.com>") << QByteArray("john@example.com");
    QTest::addRow("non-ASCII") << QStringLiteral("J\u00fcrgen <j\u00fcrgen@ex\u00e4mple.de>")
                               << QByteArray("j\xc3\xbcrgen@ex\xc3\xa4mple.de");
    QTest::addRow("empty") << QString() << QByteArray();
    QTest::addRow("no at") << QStringLiteral("ops") << QByteArray();
    QTest::addRow("no domain") << QStringLiteral("ops@") << QByteArray();
    QTest::addRow("no local part") << QStringLiteral("@example.com") << QByteArray();
    QTest::addRow("empty angle") << QStringLiteral("Ops <>") << QByteArray();
    QTest::addRow("text after the angle")
        << QStringLiteral("Ops <ops@example.com> x") << QByteArray();
    QTest::addRow("two addresses") << QStringLiteral("a@example.com b@example.com") << QByteArray();
    QTest::addRow("CRLF and a command")
        << QStringLiteral("ops@example.com\r\nRCPT TO:<evil@example.net>") << QByteArray();
    QTest::addRow("LF and a header")
        << QStringLiteral("Ops <ops@example.com>\nBcc: evil@example.net") << QByteArray();
    QTest::addRow("CR in the name") << QStringLiteral("Ops\r <ops@example.com>") << QByteArray();
    QTest::addRow("trailing CR") << QStringLiteral("ops@example.com\r") << QByteArray();
    QTest::addRow("tab inside") << QStringLiteral("ops@exa\tmple.com") << QByteArray();
    QTest::addRow("angle inside the address")
        << QStringLiteral("<ops@example.com>@evil.net") << QByteArray();
}

void TestAlertWireFormats::mailboxAddress()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, address);
    const std::optional<QByteArray> found = breakwater::mailboxAddress(text);
    if (address.isNull()) {
        QVERIFY2(!found, found ? found->constData() : "");
        return;
    }
    QVERIFY(found);
    QCOMPARE(*found, address);
}

void TestAlertWireFormats::encodeHeaderValueLeavesAsciiAlone_data()
{
    QTest::addColumn<QString>("value");
    QTest::addRow("title") << QStringLiteral("[FIRING:2] elevenlabs: breaker_open, breaker_stuck");
    QTest::addRow("empty") << QString();
    QTest::addRow("punctuation") << QStringLiteral("a=b?c \"d\" <e> (f) ~!");
    QTest::addRow("long") << QString(300, QLatin1Char('x'));
}

void TestAlertWireFormats::encodeHeaderValueLeavesAsciiAlone()
{
    QFETCH(QString, value);
    QCOMPARE(encodeHeaderValue(value), value.toLatin1());
}

void TestAlertWireFormats::encodeHeaderValueDecodesBack_data()
{
    QTest::addColumn<QString>("value");
    QTest::addRow("one character") << QStringLiteral("\u00e9");
    QTest::addRow("German") << QStringLiteral(
        "St\u00f6rung bei elevenlabs: Kontingent ersch\u00f6pft");
    QTest::addRow("a tab") << QStringLiteral("a\tb");
    QTest::addRow("line breaks") << QStringLiteral("a\r\nBcc: evil@example.net");
    const QString japanese = QStringLiteral("\u30b5\u30fc\u30d3\u30b9\u304c\u505c\u6b62\u3057"
                                            "\u307e\u3057\u305f");
    // 2-, 3- and 4-byte characters at every alignment against a word's 45 bytes.
    for (int shift = 0; shift < 4; ++shift) {
        const QString pad(shift, QLatin1Char('a'));
        QTest::addRow("2-byte, shift %d", shift) << QString(pad + QString(80, QChar(0x00fc)));
        QTest::addRow("3-byte, shift %d", shift) << QString(pad + japanese.repeated(6));
        QTest::addRow("4-byte, shift %d", shift)
            << QString(pad + QStringLiteral("\U0001F534").repeated(40));
        QTest::addRow("mixed, shift %d", shift)
            << QString(pad + QStringLiteral("x\u00fc\u30b5\U0001F525").repeated(25));
    }
}

void TestAlertWireFormats::encodeHeaderValueDecodesBack()
{
    QFETCH(QString, value);
    const QByteArray encoded = encodeHeaderValue(value);
    for (const char c : encoded)
        QVERIFY2(uchar(c) < 0x80, "8-bit bytes in a header");
    // Folded only with CRLF and a space, each line one whole encoded word.
    const QByteArrayList lines = encoded.split('\n');
    QString decoded;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (i + 1 < lines.size()) {
            QVERIFY2(line.endsWith('\r'), "a line break that is not CRLF");
            line.chop(1);
        }
        if (i > 0) {
            QVERIFY2(line.startsWith(' '), "a continuation line that does not start with a space");
            line.remove(0, 1);
        }
        QVERIFY2(!line.contains('\r'), "a bare CR");
        QString why;
        const std::optional<QString> word = decodeWord(line, &why);
        QVERIFY2(word, qPrintable(why));
        decoded += *word;
    }
    QCOMPARE(decoded, value);
    QString why;
    const std::optional<QString> asAReaderSeesIt = decodeHeaderValue(encoded, &why);
    QVERIFY2(asAReaderSeesIt, qPrintable(why));
    QCOMPARE(*asAReaderSeesIt, value);
}

void TestAlertWireFormats::composedEmailHasEveryField()
{
    const Delivery delivery = sampleDelivery();
    const QByteArray message = composeAlertEmail(
        delivery, QStringLiteral("Breakwater Alerts <alerts@example.com>"),
        {QStringLiteral("Ops Team <ops@example.com>"), QStringLiteral("oncall@example.com")});
    QString why;
    const std::optional<ParsedMail> mail = parseMail(message, &why);
    QVERIFY2(mail, qPrintable(why));

    for (const char* name : {"Date", "From", "To", "Subject", "Message-ID", "MIME-Version",
                             "Content-Type", "Content-Transfer-Encoding", "Auto-Submitted"}) {
        QVERIFY2(mail->values(name).size() == 1, name);
    }
    const auto value = [&mail](const char* name) {
        return mail->values(name).value(0);
    };

    const QDateTime date =
        QDateTime::fromString(QString::fromLatin1(value("Date")), Qt::RFC2822Date);
    QVERIFY2(date.isValid(), value("Date").constData());
    QCOMPARE(date.toMSecsSinceEpoch(), std::chrono::duration_cast<std::chrono::milliseconds>(
                                           delivery.queuedAt.time_since_epoch())
                                           .count());
    QCOMPARE(value("From"), QByteArray("Breakwater Alerts <alerts@example.com>"));
    std::optional<QString> to = decodeHeaderValue(value("To"), &why);
    QVERIFY2(to, qPrintable(why));
    QCOMPARE(*to, QStringLiteral("Ops Team <ops@example.com>, oncall@example.com"));
    const std::optional<QString> subject = decodeHeaderValue(value("Subject"), &why);
    QVERIFY2(subject, qPrintable(why));
    QCOMPARE(*subject, delivery.notification.title());
    // The delivery's id, so that every retry is recognisably the same message.
    QCOMPARE(value("Message-ID"), QByteArray("<" + delivery.id.toLatin1() + "@example.com>"));
    QCOMPARE(value("MIME-Version"), QByteArray("1.0"));
    QCOMPARE(value("Content-Type").toLower(), QByteArray("text/plain; charset=utf-8"));
    QCOMPARE(value("Content-Transfer-Encoding").toLower(), QByteArray("base64"));
    QCOMPARE(value("Auto-Submitted"), QByteArray("auto-generated"));
}

void TestAlertWireFormats::composedEmailBodyDecodesToThePlainText()
{
    const Delivery delivery = sampleDelivery();
    const QByteArray message = composeAlertEmail(delivery, QStringLiteral("alerts@example.com"),
                                                 {QStringLiteral("ops@example.com")});
    QString why;
    const std::optional<ParsedMail> mail = parseMail(message, &why);
    QVERIFY2(mail, qPrintable(why));
    QVERIFY(mail->body.endsWith("\r\n"));
    QByteArray base64;
    for (const QByteArray& line : mail->body.split('\n')) {
        const QByteArray content = line.endsWith('\r') ? line.chopped(1) : line;
        QVERIFY2(content.size() <= 76, "a base64 line longer than 76 characters");
        base64 += content;
    }
    const std::optional<QByteArray> bytes = strictBase64(base64);
    QVERIFY2(bytes, "the body is not base64");
    const std::optional<QString> text = strictUtf8(*bytes);
    QVERIFY2(text, "the body is not UTF-8");
    // Text in its canonical form has CRLF line breaks, base64 or not (RFC 2046 4.1.1).
    QVERIFY2(!QRegularExpression(QStringLiteral("[^\\r]\\n")).match(*text).hasMatch(),
             "a bare LF in the decoded text");
    QString expected = notificationPlainText(delivery.notification);
    expected.replace(QLatin1Char('\n'), QStringLiteral("\r\n"));
    QCOMPARE(*text, expected);
    QVERIFY(text->contains(delivery.notification.alerts.front().description));
}

void TestAlertWireFormats::composedEmailWithNonAsciiNamesAndSubject()
{
    Delivery delivery = sampleDelivery();
    // A service name that is not ASCII makes the subject need encoding.
    delivery.notification.service = QStringLiteral("tts-\u00fcbersetzung-\u65e5\u672c-\U0001F50A");
    for (Alert& alert : delivery.notification.alerts)
        alert.service = delivery.notification.service;
    const QString from = QStringLiteral("Br\u00e9akwater \u00c4lerts <alerts@example.com>");
    const QStringList to = {QStringLiteral("J\u00fcrgen M\u00fcller <jm@example.de>"),
                            QStringLiteral("\u5c71\u7530 <yamada@example.jp>")};
    const QByteArray message = composeAlertEmail(delivery, from, to);
    for (const char c : message.left(message.indexOf("\r\n\r\n")))
        QVERIFY2(uchar(c) < 0x80, "8-bit bytes in the header");
    QString why;
    const std::optional<ParsedMail> mail = parseMail(message, &why);
    QVERIFY2(mail, qPrintable(why));

    std::optional<QString> subject = decodeHeaderValue(mail->values("Subject").value(0), &why);
    QVERIFY2(subject, qPrintable(why));
    QCOMPARE(*subject, delivery.notification.title());
    std::optional<QString> fromValue = decodeHeaderValue(mail->values("From").value(0), &why);
    QVERIFY2(fromValue, qPrintable(why));
    QCOMPARE(*fromValue, from);
    std::optional<QString> toValue = decodeHeaderValue(mail->values("To").value(0), &why);
    QVERIFY2(toValue, qPrintable(why));
    QCOMPARE(*toValue, to.join(QStringLiteral(", ")));
    // The address is never encoded: a mail system must be able to read it.
    QVERIFY(mail->values("From").value(0).endsWith(" <alerts@example.com>"));
    QCOMPARE(mail->values("Message-ID").value(0),
             QByteArray("<" + delivery.id.toLatin1() + "@example.com>"));
}

void TestAlertWireFormats::composedEmailCannotBeInjectedInto()
{
    Delivery delivery = sampleDelivery();
    delivery.notification.service = QStringLiteral("elevenlabs\r\nBcc: evil@example.net");
    const QByteArray message = composeAlertEmail(
        delivery, QStringLiteral("Alerts\r\nBcc: evil@example.net <a@example.com>"),
        {QStringLiteral("Ops\nX-Injected: 1 <ops@example.com>")});
    QString why;
    const std::optional<ParsedMail> mail = parseMail(message, &why);
    QVERIFY2(mail, qPrintable(why));
    QVERIFY(mail->values("Bcc").isEmpty());
    QVERIFY(mail->values("X-Injected").isEmpty());
    QCOMPARE(mail->values("Subject").size(), 1);
}

void TestAlertWireFormats::composedEmailIsTheSameOnEveryRetry()
{
    Delivery delivery = sampleDelivery();
    const QString from = QStringLiteral("alerts@example.com");
    const QStringList to = {QStringLiteral("ops@example.com")};
    const QByteArray first = composeAlertEmail(delivery, from, to);
    delivery.attempts = 5;
    QCOMPARE(composeAlertEmail(delivery, from, to), first);
    delivery.id = QStringLiteral("0e7d9c1a-0000-4000-8000-000000000001");
    QCOMPARE_NE(composeAlertEmail(delivery, from, to), first);
}

QTEST_APPLESS_MAIN(TestAlertWireFormats)
#include "tst_alertwireformats.moc"
