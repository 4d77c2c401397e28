#include "logeventdetails.h"

#include "telemetry/jsonlinesformatter.h"

namespace breakwater {

QString logEventDetails(const Event& event)
{
    const QByteArray line = JsonLinesFormatter().format(event).trimmed();
    QByteArray laidOut;
    laidOut.reserve(line.size() + 64);
    // The line is one flat object: outside strings, its braces, commas and colons are structure.
    bool inString = false;
    bool escaped = false;
    for (const char c : line) {
        if (inString) {
            laidOut.append(c);
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            laidOut.append(c);
            break;
        case '{':
            laidOut.append("{\n  ");
            break;
        case '}':
            laidOut.append("\n}");
            break;
        case ',':
            laidOut.append(",\n  ");
            break;
        case ':':
            laidOut.append(": ");
            break;
        default:
            laidOut.append(c);
        }
    }
    return QString::fromUtf8(laidOut);
}

} // namespace breakwater
