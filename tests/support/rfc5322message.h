#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace breakwater::testing {

// A received single-part message taken apart for a test's assertions: header fields unfolded,
// RFC 2047 encoded-words decoded, the body decoded per Content-Transfer-Encoding and charset.
// Whatever breaks RFC 5322, 2045 or 2047 along the way is listed in problems(), so a test can
// insist on a clean message with QVERIFY2(problems().isEmpty(), ...). Multipart bodies are not
// taken apart.
class Rfc5322Message final
{
public:
    using Field = std::pair<QByteArray, QByteArray>;

    // `raw` as SmtpReceivedMessage::data: CRLF line ends, dot-stuffing already undone.
    static Rfc5322Message parse(const QByteArray& raw);

    // Every field in order, names as sent, values unfolded and trimmed but not decoded.
    const QList<Field>& fields() const { return m_fields; }
    // The first field of that name, case-insensitively; null when absent.
    QByteArray header(QByteArrayView name) const;
    QByteArrayList headers(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const { return !header(name).isNull(); }
    // The first field of that name with its encoded-words decoded.
    QString decodedHeader(QByteArrayView name) const;
    QString subject() const { return decodedHeader("Subject"); }
    QString from() const { return decodedHeader("From"); }

    // Lower-cased, with the RFC 2045 defaults when the fields are absent.
    QByteArray mimeType() const { return m_mimeType; }                 // "text/plain"
    QByteArray charset() const { return m_charset; }                   // "us-ascii"
    QByteArray transferEncoding() const { return m_transferEncoding; } // "7bit"

    const QByteArray& rawBody() const { return m_rawBody; }
    const QByteArray& decodedBody() const { return m_decodedBody; }
    // decodedBody() in its charset, with CRLF turned into "\n".
    const QString& text() const { return m_text; }

    const QStringList& problems() const { return m_problems; }

    // "=?UTF-8?B?...?= plain =?utf-8?q?...?=" to text; adjacent encoded-words join, so a
    // character split across two of them survives.
    static QString decodeEncodedWords(QByteArrayView value, QStringList* problems = nullptr);
    static QByteArray decodeQuotedPrintable(QByteArrayView encoded,
                                            QStringList* problems = nullptr);

private:
    void parseHeader(const QByteArrayList& lines);
    void checkFieldCounts();
    void parseMimeFields();
    void decodeBody();

    QList<Field> m_fields;
    QByteArray m_mimeType;
    QByteArray m_charset;
    QByteArray m_transferEncoding;
    QByteArray m_rawBody;
    QByteArray m_decodedBody;
    QString m_text;
    QStringList m_problems;
};

} // namespace breakwater::testing
