using Cognate.Core.SignIn;
using Cognate.Core.SignIn.Challenges;
using Cognate.Core.SignIn.Flows;
using Cognate.Core.SignIn.Steps;

namespace Cognate.Server.Hosting;

/// <summary>
/// Registers the sign-in engine (docs/design/sign-in-engine.md): the shared steps, one <see cref="ISignInFlow"/> per AuthFlow
/// type and one <see cref="IChallenge"/> per challenge. A new flow or challenge is a new file plus one line here.
/// </summary>
internal static class SignInRegistration
{
    /// <summary>Adds <see cref="SignInEngine"/>, its steps, flows and challenges as singletons.</summary>
    public static IServiceCollection AddCognateSignIn(this IServiceCollection services)
    {
        services.AddSingleton<SignInSessions>();
        services.AddSingleton<Completion>();
        services.AddSingleton<CodeChallenge>();
        services.AddSingleton<SecondFactor>();
        services.AddSingleton<AfterFirstFactor>();
        services.AddSingleton<PasswordProof>();
        services.AddSingleton<SessionUser>();
        services.AddSingleton<SrpExchange>();
        services.AddSingleton<FirstFactor>();
        services.AddSingleton<Core.Passkeys.PasskeyService>();
        services.AddSingleton<AuthenticationTriggers>();
        services.AddSingleton<Core.Users.UserMigrationService>();
        services.AddSingleton<CustomChallengeLoop>();

        services.AddSingleton<UserPasswordAuth>();
        services.AddSingleton<RefreshTokenAuth>();
        services.AddSingleton<UserSrpAuth>();
        services.AddSingleton<UserAuth>();
        services.AddSingleton<ISignInFlow>(sp => sp.GetRequiredService<UserPasswordAuth>());
        services.AddSingleton<ISignInFlow>(sp => sp.GetRequiredService<RefreshTokenAuth>());
        services.AddSingleton<ISignInFlow>(sp => sp.GetRequiredService<UserSrpAuth>());
        services.AddSingleton<ISignInFlow>(sp => sp.GetRequiredService<UserAuth>());
        services.AddSingleton<ISignInFlow, CustomAuth>();

        services.AddSingleton<MfaSetup>();
        services.AddSingleton<IChallenge, PasswordVerifier>();
        services.AddSingleton<IChallenge, SelectChallenge>();
        services.AddSingleton<IChallenge, EmailOtp>();
        services.AddSingleton<IChallenge, SmsOtp>();
        services.AddSingleton<IChallenge, SmsMfa>();
        services.AddSingleton<IChallenge, SoftwareTokenMfa>();
        services.AddSingleton<IChallenge, SelectMfaType>();
        services.AddSingleton<IChallenge>(sp => sp.GetRequiredService<MfaSetup>());
        services.AddSingleton<IChallenge, NewPasswordRequired>();
        services.AddSingleton<IChallenge, WebAuthn>();
        services.AddSingleton<IChallenge, CustomChallenge>();
        services.AddSingleton<IChallenge, DeviceSrpAuth>();
        services.AddSingleton<IChallenge, DevicePasswordVerifier>();

        services.AddSingleton<SignInEngine>();
        return services;
    }
}
