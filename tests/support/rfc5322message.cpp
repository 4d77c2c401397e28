#include "rfc5322message.h"

#include <QStringDecoder>

#include <algorithm>
#include <optional>

namespace breakwater::testing {

namespace {

constexpr qsizetype kMaxLineLength = 998;         // RFC 5322 2.1.1, without the CRLF
constexpr qsizetype kMaxEncodedWordLength = 75;   // RFC 2047 2
constexpr qsizetype kMaxQuotedPrintableLine = 76; // RFC 2045 6.7, rule 5

bool isWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool hasEightBit(QByteArrayView bytes)
{
    return std::any_of(bytes.begin(), bytes.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

bool isFieldName(const QByteArray& name)
{
    return !name.isEmpty() && std::all_of(name.begin(), name.end(),
                                          [](char c) { return c >= 33 && c <= 126 && c != ':'; });
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

void note(QStringList* problems, const QString& problem)
{
    if (problems && !problems->contains(problem))
        problems->append(problem);
}

QString decodeCharset(const QByteArray& bytes, const QByteArray& charset, QStringList* problems)
{
    const QByteArray name = charset.toLower();
    if (name == "us-ascii") {
        if (hasEightBit(bytes))
            note(problems, QStringLiteral("8-bit bytes in text labelled US-ASCII"));
        return QString::fromLatin1(bytes);
    }
    QStringDecoder decoder(name.constData());
    if (!decoder.isValid()) {
        note(problems, QStringLiteral("unsupported charset ") + QString::fromLatin1(charset));
        return QString::fromUtf8(bytes);
    }
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        note(problems, QStringLiteral("text is not valid ") + QString::fromLatin1(charset));
    return text;
}

// One line's "=XX" escapes; `q` adds the encoded-word rule that "_" is a space.
QByteArray decodeEscapes(QByteArrayView encoded, bool q, QStringList* problems)
{
    QByteArray decoded;
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        const char c = encoded.at(i);
        if (q && c == '_') {
            decoded += ' ';
        } else if (c != '=') {
            decoded += c;
        } else if (i + 2 < encoded.size() && hexValue(encoded.at(i + 1)) >= 0 &&
                   hexValue(encoded.at(i + 2)) >= 0) {
            decoded +=
                static_cast<char>(hexValue(encoded.at(i + 1)) * 16 + hexValue(encoded.at(i + 2)));
            i += 2;
        } else {
            note(problems, QStringLiteral("invalid \"=\" escape in quoted-printable text"));
            decoded += c;
        }
    }
    return decoded;
}

struct EncodedWord
{
    QByteArray charset;
    QByteArray bytes;
    qsizetype end = 0;
};

// "=?charset?B|Q?text?=" at `start`; nullopt when it is not one, which leaves it plain text.
std::optional<EncodedWord> parseEncodedWord(const QByteArray& value, qsizetype start,
                                            QStringList* problems)
{
    const qsizetype charsetEnd = value.indexOf('?', start + 2);
    if (charsetEnd < 0 || value.indexOf('?', charsetEnd + 1) != charsetEnd + 2)
        return std::nullopt;
    const qsizetype textStart = charsetEnd + 3;
    const qsizetype textEnd = value.indexOf("?=", textStart);
    if (textEnd < 0)
        return std::nullopt;
    // RFC 2231 5: "charset*language"
    const QByteArray charset = value.sliced(start + 2, charsetEnd - start - 2).split('*').value(0);
    const QByteArray text = value.sliced(textStart, textEnd - textStart);
    if (charset.isEmpty() || std::any_of(charset.begin(), charset.end(), isWhitespace) ||
        std::any_of(text.begin(), text.end(), isWhitespace)) {
        return std::nullopt;
    }
    EncodedWord word{charset, {}, textEnd + 2};
    const char encoding = value.at(charsetEnd + 1);
    if (encoding == 'B' || encoding == 'b') {
        auto decoded =
            QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            note(problems, QStringLiteral("invalid base64 in an encoded-word"));
        word.bytes = decoded ? *decoded : text;
    } else if (encoding == 'Q' || encoding == 'q') {
        word.bytes = decodeEscapes(text, true, problems);
    } else {
        return std::nullopt;
    }
    if (word.end - start > kMaxEncodedWordLength)
        note(problems, QStringLiteral("encoded-word longer than 75 characters"));
    return word;
}

// Reports each kind of broken line once, with the first line it happens on.
void checkLines(const QByteArray& raw, QStringList* problems)
{
    qsizetype lineStart = 0;
    int line = 1;
    for (qsizetype i = 0; i <= raw.size(); ++i) {
        const bool atEnd = i == raw.size();
        if (!atEnd && raw.at(i) == '\r' && (i + 1 == raw.size() || raw.at(i + 1) != '\n'))
            note(problems, QStringLiteral("bare CR, first on line %1").arg(line));
        if (!atEnd && raw.at(i) != '\n')
            continue;
        const bool crlf = !atEnd && i > lineStart && raw.at(i - 1) == '\r';
        if (!atEnd && !crlf)
            note(problems, QStringLiteral("bare LF, first ending line %1").arg(line));
        if (i - lineStart - (crlf ? 1 : 0) > kMaxLineLength)
            note(problems, QStringLiteral("line longer than 998 octets, first line %1").arg(line));
        lineStart = i + 1;
        ++line;
    }
}

// "text/plain; charset=\"UTF-8\"" into its parts, ';' inside quotes left alone.
QByteArrayList splitParameters(const QByteArray& value)
{
    QByteArrayList parts(1);
    bool quoted = false;
    for (const char c : value) {
        if (c == '"')
            quoted = !quoted;
        if (c == ';' && !quoted)
            parts.append(QByteArray());
        else
            parts.last() += c;
    }
    return parts;
}

} // namespace

Rfc5322Message Rfc5322Message::parse(const QByteArray& raw)
{
    Rfc5322Message message;
    checkLines(raw, &message.m_problems);

    QByteArrayList headerLines;
    qsizetype position = 0;
    bool separated = false;
    while (position < raw.size()) {
        const qsizetype newline = raw.indexOf('\n', position);
        const qsizetype end = newline < 0 ? raw.size() : newline;
        QByteArray line = raw.sliced(position, end - position);
        position = end + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty()) {
            separated = true;
            break;
        }
        headerLines.append(line);
    }
    if (!separated)
        message.m_problems.append(QStringLiteral("no empty line between header and body"));
    message.m_rawBody = raw.mid(std::min(position, raw.size()));

    message.parseHeader(headerLines);
    message.checkFieldCounts();
    message.parseMimeFields();
    message.decodeBody();
    return message;
}

QByteArray Rfc5322Message::header(QByteArrayView name) const
{
    for (const auto& [fieldName, value] : m_fields) {
        if (fieldName.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QByteArrayList Rfc5322Message::headers(QByteArrayView name) const
{
    QByteArrayList values;
    for (const auto& [fieldName, value] : m_fields) {
        if (fieldName.compare(name, Qt::CaseInsensitive) == 0)
            values.append(value);
    }
    return values;
}

QString Rfc5322Message::decodedHeader(QByteArrayView name) const
{
    return decodeEncodedWords(header(name));
}

QString Rfc5322Message::decodeEncodedWords(QByteArrayView value, QStringList* problems)
{
    const QByteArray text = value.toByteArray();
    QString result;
    QByteArray pendingCharset;
    QByteArray pendingBytes;
    // Adjacent words are decoded together: a UTF-8 sequence may be split between them.
    const auto flush = [&] {
        if (!pendingCharset.isEmpty())
            result += decodeCharset(pendingBytes, pendingCharset, problems);
        pendingCharset.clear();
        pendingBytes.clear();
    };
    qsizetype position = 0;
    bool afterWord = false;
    while (position < text.size()) {
        const qsizetype start = text.indexOf("=?", position);
        const std::optional<EncodedWord> word =
            start < 0 ? std::nullopt : parseEncodedWord(text, start, problems);
        if (!word) {
            const qsizetype end = start < 0 ? text.size() : start + 2;
            flush();
            result += QString::fromUtf8(text.sliced(position, end - position));
            position = end;
            afterWord = false;
            continue;
        }
        const QByteArray gap = text.sliced(position, start - position);
        // RFC 2047 6.2: whitespace between two encoded-words is not part of the text.
        if (!afterWord || !std::all_of(gap.begin(), gap.end(), isWhitespace)) {
            flush();
            result += QString::fromUtf8(gap);
        }
        if (word->charset.compare(pendingCharset, Qt::CaseInsensitive) != 0)
            flush();
        pendingCharset = word->charset;
        pendingBytes += word->bytes;
        position = word->end;
        afterWord = true;
    }
    flush();
    return result;
}

QByteArray Rfc5322Message::decodeQuotedPrintable(QByteArrayView encoded, QStringList* problems)
{
    QByteArray decoded;
    const QList<QByteArray> lines = encoded.toByteArray().split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QByteArray line = lines.at(i);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.size() > kMaxQuotedPrintableLine)
            note(problems, QStringLiteral("quoted-printable line longer than 76 characters"));
        // RFC 2045 6.7 rule 3: trailing whitespace may have been added in transport.
        while (!line.isEmpty() && (line.endsWith(' ') || line.endsWith('\t')))
            line.chop(1);
        const bool softBreak = line.endsWith('=');
        if (softBreak)
            line.chop(1);
        decoded += decodeEscapes(line, false, problems);
        if (!softBreak && i + 1 < lines.size())
            decoded += "\r\n";
    }
    return decoded;
}

void Rfc5322Message::parseHeader(const QByteArrayList& lines)
{
    for (const QByteArray& line : lines) {
        if (line.startsWith(' ') || line.startsWith('\t')) {
            if (m_fields.isEmpty())
                m_problems.append(QStringLiteral("folded line before the first header field"));
            else
                m_fields.last().second += line; // unfolding removes only the CRLF (2.2.3)
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = colon > 0 ? line.first(colon) : QByteArray();
        if (!isFieldName(name)) {
            m_problems.append(QStringLiteral("malformed header line: ") +
                              QString::fromUtf8(line.left(80)));
            continue;
        }
        m_fields.append({name, line.mid(colon + 1)});
    }
    for (auto& [name, value] : m_fields) {
        value = value.trimmed();
        decodeEncodedWords(value, &m_problems); // for what it finds wrong; tests decode on demand
        if (hasEightBit(value)) {
            m_problems.append(QStringLiteral("raw 8-bit bytes in header field ") +
                              QString::fromLatin1(name) +
                              QStringLiteral(" (RFC 2047 encoded-words needed)"));
        }
    }
}

void Rfc5322Message::checkFieldCounts()
{
    // RFC 5322 3.6: Date and From are required; these may appear once at most.
    static const char* const required[] = {"Date", "From"};
    static const char* const atMostOnce[] = {"Date",        "From",       "Sender", "Reply-To",
                                             "To",          "Cc",         "Bcc",    "Message-ID",
                                             "In-Reply-To", "References", "Subject"};
    for (const char* name : required) {
        if (!hasHeader(name))
            m_problems.append(QStringLiteral("no ") + QLatin1StringView(name) +
                              QStringLiteral(" field"));
    }
    for (const char* name : atMostOnce) {
        if (headers(name).size() > 1)
            m_problems.append(QStringLiteral("more than one ") + QLatin1StringView(name) +
                              QStringLiteral(" field"));
    }
}

void Rfc5322Message::parseMimeFields()
{
    m_mimeType = "text/plain";
    m_charset = "us-ascii";
    const QByteArray contentType = header("Content-Type");
    if (!contentType.isNull()) {
        const QByteArrayList parts = splitParameters(contentType);
        m_mimeType = parts.first().trimmed().toLower();
        if (!m_mimeType.contains('/'))
            m_problems.append(QStringLiteral("malformed Content-Type"));
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArray parameter = parts.at(i).trimmed();
            const qsizetype equals = parameter.indexOf('=');
            if (equals > 0 && parameter.first(equals).trimmed().toLower() == "charset") {
                QByteArray value = parameter.mid(equals + 1).trimmed();
                if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                    value = value.sliced(1, value.size() - 2);
                m_charset = value.toLower();
            }
        }
    }
    if (m_mimeType.startsWith("multipart/"))
        m_problems.append(QStringLiteral("multipart body: not taken apart by this parser"));

    const QByteArray encoding = header("Content-Transfer-Encoding");
    m_transferEncoding = encoding.isNull() ? QByteArray("7bit") : encoding.trimmed().toLower();

    const bool mime = !contentType.isNull() || !encoding.isNull();
    if (mime && header("MIME-Version").split(' ').value(0) != "1.0")
        m_problems.append(QStringLiteral("MIME fields without MIME-Version: 1.0"));
}

void Rfc5322Message::decodeBody()
{
    if (m_transferEncoding == "7bit") {
        if (hasEightBit(m_rawBody))
            m_problems.append(QStringLiteral("8-bit bytes in a 7bit body"));
        m_decodedBody = m_rawBody;
    } else if (m_transferEncoding == "8bit" || m_transferEncoding == "binary") {
        m_decodedBody = m_rawBody;
    } else if (m_transferEncoding == "quoted-printable") {
        m_decodedBody = decodeQuotedPrintable(m_rawBody, &m_problems);
    } else if (m_transferEncoding == "base64") {
        QByteArray compact = m_rawBody;
        compact.removeIf(isWhitespace);
        auto decoded =
            QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            m_problems.append(QStringLiteral("invalid base64 body"));
        m_decodedBody = decoded ? *decoded : m_rawBody;
    } else {
        m_problems.append(QStringLiteral("unknown Content-Transfer-Encoding ") +
                          QString::fromLatin1(m_transferEncoding));
        m_decodedBody = m_rawBody;
    }
    m_text = decodeCharset(m_decodedBody, m_charset, &m_problems);
    m_text.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
}

} // namespace breakwater::testing
