using Cognate.Core.Messaging;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Messaging;

/// <summary>Registers the delivery budgets (<c>Cognate:MessageBudgets</c>) and the SMTP timeout (<c>Cognate:Email:Smtp:TimeoutSeconds</c>).</summary>
internal static class MessagingRegistration
{
    public static IServiceCollection AddCognateMessageBudgets(this IServiceCollection services)
    {
        services.AddOptions<MessageBudgetOptions>().BindConfiguration(MessageBudgetOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmtpDeliveryOptions>().BindConfiguration(SmtpDeliveryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new MessageBudget(sp.GetRequiredService<IOptions<MessageBudgetOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
