#include "samplescripts.h"

namespace breakwater {

QStringList builtInCallScripts()
{
    return {
        QStringLiteral("Hello, this is Ava from Northwind Dental. I'm calling to confirm your "
                       "cleaning tomorrow at 3 pm. Press 1 to confirm or 2 to reschedule."),
        QStringLiteral("Hi, this is the delivery desk at Harbor Freight Lines. Your package is "
                       "scheduled to arrive between 10 am and noon today."),
        QStringLiteral("Good afternoon. This is a reminder that your prescription is ready for "
                       "pickup at the Elm Street pharmacy."),
        QStringLiteral("Hello, I'm calling from City Water Services about a planned maintenance "
                       "outage on your street this Thursday from 9 to 11 am."),
        QStringLiteral("Hi there, this is Leo from Summit Insurance following up on your quote "
                       "request. Is now a good time to talk?"),
        QStringLiteral("This is an automated message from Riverside Library: the book you "
                       "reserved is now available at the front desk."),
        QStringLiteral("Hello, we noticed a payment of 42 dollars and 10 cents is due on Friday. "
                       "Say 'pay now' to settle it or 'agent' to speak to someone."),
        QStringLiteral("Thank you for calling Maple Street Veterinary. Your dog Biscuit is due "
                       "for his annual vaccines next week."),
    };
}

} // namespace breakwater
